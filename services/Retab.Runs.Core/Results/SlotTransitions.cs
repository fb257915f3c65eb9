using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Results;

/// <summary>A slot move and the count change that must be applied with it, atomically.</summary>
public sealed record SlotChange(TestResult Slot, SlotStatus From, RunCounts CountDelta)
{
    public bool MovesCounts => CountDelta != new RunCounts();
}

/// <summary>
/// The fan-in rules of DESIGN §5 as a pure function: given a slot and an event, the new slot and the
/// count delta, or null when the event is a no-op (duplicate, late, out of order).
/// </summary>
public static class SlotTransitions
{
    /// <param name="slot">The slot as stored.</param>
    /// <param name="slotEvent">What a worker, the sweeper or a fault reports about it.</param>
    /// <param name="runIsActive">
    /// Whether the slot's run has not ended: only then does a worker's late result replace a <c>worker_lost</c> error.
    /// Stores must answer it exactly at the moment the slot is written (read in the same transaction, or guarded by a
    /// seal the run's ending puts on its slots), or a late result could change a run whose counts were announced.
    /// </param>
    public static SlotChange? Apply(TestResult slot, SlotEvent slotEvent, bool runIsActive) => slotEvent switch
    {
        SlotStarted started => Start(slot, started),
        SlotFinished finished => Finish(slot, finished, runIsActive),
        _ => throw new ArgumentOutOfRangeException(nameof(slotEvent)),
    };

    private static SlotChange? Start(TestResult slot, SlotStarted started)
    {
        if (!RunLifecycle.CanMove(slot.Status, SlotStatus.Running))
            return null;
        var moved = slot with { Status = SlotStatus.Running, StartedAt = started.At, WorkerId = started.WorkerId };
        return new SlotChange(moved, slot.Status, new RunCounts().Move(slot.Status, SlotStatus.Running, null));
    }

    private static SlotChange? Finish(TestResult slot, SlotFinished finished, bool runIsActive)
    {
        var withOutput = slot with
        {
            HandleOutputs = finished.HandleOutputs,
            AssertionResult = finished.AssertionResult,
            Warnings = finished.Warnings,
            RoutingDecisions = finished.RoutingDecisions,
            Consensus = finished.Consensus,
            WorkerId = finished.WorkerId ?? slot.WorkerId,
            EngineVersion = finished.EngineVersion,
        };

        // A result for a cancelled slot is kept for the user to see, but the slot and the counts stay as they are.
        if (slot.Status == SlotStatus.Cancelled && !slot.ArrivedAfterCancel && finished.Outcome == SlotStatus.Completed)
            return new SlotChange(withOutput with { ArrivedAfterCancel = true, Verdict = finished.Verdict }, slot.Status, new RunCounts());

        // The worker's report replaces the sweeper's whole, times included: the sweeper's start time is when it gave up.
        if (ReplacesWorkerLost(slot, finished, runIsActive))
            return Ended(slot, withOutput, finished, finished.StartedAt ?? finished.At);

        if (!RunLifecycle.CanMove(slot.Status, finished.Outcome))
            return null;
        return Ended(slot, withOutput, finished, slot.StartedAt ?? finished.StartedAt ?? finished.At);
    }

    private static SlotChange Ended(TestResult slot, TestResult withOutput, SlotFinished finished, DateTimeOffset startedAt)
    {
        var moved = withOutput with
        {
            Status = finished.Outcome,
            Verdict = finished.Outcome == SlotStatus.Completed ? finished.Verdict : null,
            StartedAt = startedAt,
            CompletedAt = finished.At,
            Error = finished.Error,
        };
        return new SlotChange(moved, slot.Status, new RunCounts().Move(slot.Status, finished.Outcome, moved.Verdict));
    }

    /// <summary>
    /// <c>worker_lost</c> is the sweeper's guess that nobody will finish the test; the worker's own result, completed or
    /// error, is the better answer when it still comes while the run is active. A finish that is not a worker's (the
    /// sweeper's, a fault's) or that is itself a worker_lost (a redelivered sweep) never replaces one, so a redelivery
    /// is a no-op.
    /// </summary>
    private static bool ReplacesWorkerLost(TestResult slot, SlotFinished finished, bool runIsActive) =>
        runIsActive
        && slot is { Status: SlotStatus.Error, Error.Code: RunErrorCodes.WorkerLost }
        && finished is { WorkerId: not null, Outcome: SlotStatus.Completed or SlotStatus.Error }
        && finished.Error?.Code != RunErrorCodes.WorkerLost;
}
