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
    public static SlotChange? Apply(TestResult slot, SlotEvent slotEvent) => slotEvent switch
    {
        SlotStarted started => Start(slot, started),
        SlotFinished finished => Finish(slot, finished),
        _ => throw new ArgumentOutOfRangeException(nameof(slotEvent)),
    };

    private static SlotChange? Start(TestResult slot, SlotStarted started)
    {
        if (!RunLifecycle.CanMove(slot.Status, SlotStatus.Running))
            return null;
        var moved = slot with { Status = SlotStatus.Running, StartedAt = started.At, WorkerId = started.WorkerId };
        return new SlotChange(moved, slot.Status, new RunCounts().Move(slot.Status, SlotStatus.Running, null));
    }

    private static SlotChange? Finish(TestResult slot, SlotFinished finished)
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

        if (!RunLifecycle.CanMove(slot.Status, finished.Outcome))
            return null;

        var moved = withOutput with
        {
            Status = finished.Outcome,
            Verdict = finished.Outcome == SlotStatus.Completed ? finished.Verdict : null,
            StartedAt = slot.StartedAt ?? finished.StartedAt ?? finished.At,
            CompletedAt = finished.At,
            Error = finished.Error,
        };
        return new SlotChange(moved, slot.Status, new RunCounts().Move(slot.Status, finished.Outcome, moved.Verdict));
    }
}
