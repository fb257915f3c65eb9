using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Observability;
using Retab.Runs.Messaging.Observability;

namespace Retab.Runs.Worker.Observability;

/// <summary>
/// What a worker measures of one execution: how long it waited in the queue (from the orchestrator sending it to this
/// worker picking it up) and how long the block and its assertion took, by block type. The verdict goes on the
/// consume span; whether the test counts as finished is the fan-in's to say (a result may be a duplicate or late).
/// </summary>
public sealed partial class ExecutionSignals(RunsMetrics metrics, ILogger<ExecutionSignals> logger)
{
    /// <param name="sentTime">MassTransit's <c>SentTime</c> (UTC) of the execution message; null when the sender set none.</param>
    public void PickedUp(ExecuteWorkflowTest message, DateTime? sentTime, DateTimeOffset pickedUpAt)
    {
        // Clocks of two machines: a worker whose clock runs behind would report a negative wait, which says nothing.
        if (sentTime is { } sent && pickedUpAt - new DateTimeOffset(DateTime.SpecifyKind(sent, DateTimeKind.Utc)) is { } wait && wait >= TimeSpan.Zero)
            metrics.TestQueueWait.Record(wait.TotalSeconds, new KeyValuePair<string, object?>(RunsTags.BlockType, message.Block.Type));
        PickedUpLog(logger, message.RunId, message.TestId, message.Attempt);
    }

    public void Executed(ExecuteWorkflowTest message, WorkflowTestFinished finished, TimeSpan took)
    {
        metrics.TestExecutionDuration.Record(took.TotalSeconds, new KeyValuePair<string, object?>(RunsTags.BlockType, message.Block.Type));
        SpanTags.Verdict(finished.Verdict ?? finished.Lifecycle);
        if (finished.Error is { } error && Activity.Current is { IsAllDataRequested: true } span)
            span.SetTag(RunsTags.ErrorCode, error.Code);
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Debug, Message = "Test {TestId} of run {RunId} picked up (attempt {Attempt})")]
    private static partial void PickedUpLog(ILogger logger, string runId, string testId, int attempt);
}
