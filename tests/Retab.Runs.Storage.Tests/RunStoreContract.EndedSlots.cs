using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Storage.Tests;

/// <summary>
/// A write of slot events reports the slots it ended (what the tests-finished metric counts): each end exactly once,
/// by the write that made it, never again for a duplicate, a late event, or a worker's result replacing worker_lost.
/// </summary>
public abstract partial class RunStoreContract
{
    [Fact]
    public async Task A_write_reports_the_slots_it_ended_with_verdict_block_type_and_error_code()
    {
        var (run, slots) = await QueueRunAsync(4);

        var progress = await Runs.ApplySlotEventsAsync(
            [Started(slots[0]), Finished(slots[1]), Finished(slots[2], Verdict.Failed), Finished(slots[3], null, SlotStatus.Error)], T0.AddSeconds(2));

        var ended = Assert.Single(progress).EndedSlots.OrderBy(e => e.ResultId, StringComparer.Ordinal).ToList();
        Assert.Equal(
            new[] { slots[1], slots[2], slots[3] }.Select(s => s.Id).Order(StringComparer.Ordinal),
            ended.Select(e => e.ResultId));
        Assert.All(ended, e => Assert.Equal("function", e.BlockType));
        Assert.Equal((SlotStatus.Completed, Verdict.Passed, (string?)null), Describe(ended, slots[1]));
        Assert.Equal((SlotStatus.Completed, Verdict.Failed, (string?)null), Describe(ended, slots[2]));
        Assert.Equal((SlotStatus.Error, (Verdict?)null, RunErrorCodes.DeadlineExceeded), Describe(ended, slots[3]));
        Assert.Equal(slots[1].TestId, ended.Single(e => e.ResultId == slots[1].Id).TestId);
        await AssertCountsEqualSlotsAsync(run);
    }

    [Fact]
    public async Task A_duplicate_a_late_finish_and_a_result_replacing_worker_lost_report_no_new_end()
    {
        var (_, slots) = await QueueRunAsync(3);
        var first = await Runs.ApplySlotEventsAsync([Finished(slots[0]), WorkerLost(slots[1])], T0.AddSeconds(2));
        Assert.Equal(2, Assert.Single(first).EndedSlots.Count);

        var again = await Runs.ApplySlotEventsAsync(
            [Finished(slots[0]), Finished(slots[0], Verdict.Failed), WorkerLost(slots[1]), Finished(slots[1]), Started(slots[2])], T0.AddSeconds(3));

        Assert.Empty(Assert.Single(again).EndedSlots);
        Assert.Equal(SlotStatus.Completed, (await Runs.GetResultAsync(OrgA, slots[1].Id))!.Status);
    }

    [Fact]
    public async Task Active_runs_of_every_organization_are_counted_and_ended_ones_are_not()
    {
        var before = await Runs.CountActiveRunsAsync();
        await QueueRunAsync(1);
        var (cancelled, _) = await QueueRunAsync(1, OrgB);
        var pending = NewPendingRun(Planned(1, OrgB).Plan, OrgB);
        await Runs.InsertRunAsync(pending);
        Assert.Equal(before + 3, await Runs.CountActiveRunsAsync());

        await Runs.CancelRunAsync(cancelled.Id, null, T0.AddSeconds(1));

        Assert.Equal(before + 2, await Runs.CountActiveRunsAsync());
    }

    private static (SlotStatus, Verdict?, string?) Describe(IEnumerable<EndedSlot> ended, TestResult slot) =>
        ended.Single(e => e.ResultId == slot.Id) is var e ? (e.Status, e.Verdict, e.ErrorCode) : default;
}
