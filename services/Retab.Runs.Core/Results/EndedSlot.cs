using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Results;

/// <summary>A slot a store write moved to a terminal status: what the tests-finished metric and the error log need of it.</summary>
public sealed record EndedSlot(string ResultId, string TestId, string BlockType, SlotStatus Status, Verdict? Verdict, string? ErrorCode)
{
    /// <summary>The slot's end, if <paramref name="change"/> is one: a move from an active status to a terminal one.</summary>
    public static EndedSlot? Of(SlotChange change) => Of(change.From, change.Slot);

    /// <summary>The end of a slot that was <paramref name="from"/> and is now <paramref name="slot"/>, if that is one.</summary>
    public static EndedSlot? Of(SlotStatus from, TestResult slot) =>
        !RunLifecycle.IsTerminal(from) && RunLifecycle.IsTerminal(slot.Status)
            ? new EndedSlot(slot.Id, slot.TestId, slot.BlockType, slot.Status, slot.Verdict, slot.Error?.Code)
            : null;
}
