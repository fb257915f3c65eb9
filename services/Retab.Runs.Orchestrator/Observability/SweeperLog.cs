using Microsoft.Extensions.Logging;
using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator.Observability;

/// <summary>What the sweeper did to a run (DESIGN §5 rule 6): ids and counts only.</summary>
internal static partial class SweeperLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Run {RunId} stayed pending; re-sending CreateTestRun")]
    public static partial void CreateResent(ILogger logger, string runId);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Run {RunId} stalled: {Overdue} tests overdue, {Resent} sent again, {Lost} lost")]
    public static partial void Stalled(ILogger logger, string runId, int overdue, int resent, int lost);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Run {RunId} reconciled from its slots: {Ended} of {TotalTests} tests ended")]
    public static partial void Reconciled(ILogger logger, string runId, int ended, int totalTests);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Run {RunId} stalled while work cannot flow ({Backlog}); deciding nothing until it can")]
    public static partial void Waiting(ILogger logger, string runId, ExecutionBacklogState backlog);
}
