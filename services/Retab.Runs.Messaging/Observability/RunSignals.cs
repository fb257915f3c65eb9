using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Retab.Runs.Core.Observability;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Messaging.Observability;

/// <summary>
/// What a run's moves say to an operator: the <see cref="RunsMetrics"/> measurement and the Information line of each
/// move, recorded by whoever made the move (the caller whose guarded store write won), so each fact counts once however
/// often its messages are redelivered, duplicated, or seen by several orchestrators. Ids go to logs and spans only.
/// </summary>
public sealed class RunSignals(RunsMetrics metrics, ILogger<RunSignals> logger)
{
    /// <summary>A run was stored for the first time (by the gateway for HTTP runs, the orchestrator for a bus publisher's).</summary>
    public void Created(TestRun run)
    {
        metrics.RunsCreated.Add(1, new KeyValuePair<string, object?>(RunsTags.Trigger, TriggerTag.Of(run.TriggerType)));
        Tag(run);
        RunsLog.Created(logger, run.Id, run.OrganizationId, run.WorkflowId, run.TotalTests, run.TriggerType);
    }

    /// <summary>A run's slots were stored and it moved pending → queued.</summary>
    public void Queued(TestRun run) => RunsLog.Queued(logger, run.Id, run.TotalTests);

    /// <summary>A run's first slot event moved it queued → running.</summary>
    public void Started(TestRun run) => RunsLog.Started(logger, run.Id, run.TotalTests);

    /// <summary>A run reached its final status, by the move's winner.</summary>
    public void Ended(TestRun run)
    {
        var status = new KeyValuePair<string, object?>(RunsTags.RunStatus, StatusName(run.Status));
        var trigger = new KeyValuePair<string, object?>(RunsTags.Trigger, TriggerTag.Of(run.TriggerType));
        metrics.RunsEnded.Add(1, status, trigger);
        var duration = (run.CompletedAt ?? run.CreatedAt) - run.CreatedAt;
        metrics.RunDuration.Record(duration.TotalSeconds, status, trigger);
        // The tests a cancel ended with their run: moved by the store in the cancel itself (workers never report a test
        // cancelled), so the cancel's winner counts them, once. Of several block types, maybe: no block type tag.
        if (run.Status == RunStatus.Cancelled && run.Counts.Cancelled > 0)
            metrics.TestsFinished.Add(run.Counts.Cancelled, new KeyValuePair<string, object?>(RunsTags.Verdict, "cancelled"));
        var counts = run.Counts;
        if (run.Status == RunStatus.Error)
            RunsLog.EndedInError(logger, run.Id, run.Error?.Code, counts.Total, counts.Completed, counts.Error, counts.Cancelled, (long)duration.TotalMilliseconds);
        else
            RunsLog.Ended(logger, run.Id, StatusName(run.Status), counts.Total, counts.Passed, counts.Failed, counts.Blocked, counts.Error, counts.Cancelled,
                (long)duration.TotalMilliseconds);
    }

    /// <summary>The slots store writes of the fan-in or the sweeper ended (each reported by the write that ended it).</summary>
    public void TestsEnded(IEnumerable<RunProgress> progress)
    {
        foreach (var run in progress)
        {
            foreach (var slot in run.EndedSlots)
                TestEnded(run.Run.Id, slot);
        }
    }

    /// <summary>How many worker events one store write of the fan-in held.</summary>
    public void FanInBatch(int events) => metrics.FanInBatchSize.Record(events);

    private void TestEnded(string runId, EndedSlot slot)
    {
        var verdict = slot.Status == SlotStatus.Completed && slot.Verdict is { } v ? VerdictName(v) : StatusName(slot.Status);
        var tags = new TagList
        {
            { RunsTags.Verdict, verdict },
            { RunsTags.BlockType, slot.BlockType },
        };
        if (slot.Status == SlotStatus.Error)
        {
            tags.Add(RunsTags.ErrorCode, slot.ErrorCode);
            RunsLog.TestEndedInError(logger, runId, slot.TestId, slot.ResultId, slot.ErrorCode);
        }
        metrics.TestsFinished.Add(1, tags);
    }

    private static void Tag(TestRun run)
    {
        if (Activity.Current is not { IsAllDataRequested: true } span)
            return;
        span.SetTag(RunsTags.RunId, run.Id);
        span.SetTag(RunsTags.OrganizationId, run.OrganizationId);
        span.SetTag(RunsTags.WorkflowId, run.WorkflowId);
    }

    // Lower-case names, as the API writes them, without allocating per measurement.
    private static string StatusName(RunStatus status) => status switch
    {
        RunStatus.Completed => "completed",
        RunStatus.Error => "error",
        RunStatus.Cancelled => "cancelled",
        RunStatus.Pending => "pending",
        RunStatus.Queued => "queued",
        _ => "running",
    };

    private static string StatusName(SlotStatus status) => status switch
    {
        SlotStatus.Completed => "completed",
        SlotStatus.Error => "error",
        SlotStatus.Cancelled => "cancelled",
        _ => "active",
    };

    public static string VerdictName(Verdict verdict) => verdict switch
    {
        Verdict.Passed => "passed",
        Verdict.Failed => "failed",
        _ => "blocked",
    };
}
