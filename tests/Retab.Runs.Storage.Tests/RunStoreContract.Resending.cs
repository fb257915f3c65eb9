using Retab.Runs.Core.Common;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Storage.Tests;

/// <summary>
/// The sweeper re-sends a slot nobody finished in time (DESIGN §5 rule 6): the slot gets the next attempt and a new
/// deadline and keeps its status, so the counts never move; of two sweepers that saw the same attempt only one bumps it.
/// </summary>
public abstract partial class RunStoreContract
{
    [Fact]
    public async Task Requeueing_gives_a_queued_slot_the_next_attempt_and_a_new_deadline()
    {
        var (run, slots) = await QueueRunAsync(1);
        var deadline = T0.AddMinutes(30);

        var requeued = await Runs.RequeueSlotAsync(slots[0].Id, 1, deadline);

        Assert.NotNull(requeued);
        Assert.Equal(2, requeued.Attempt);
        Assert.Equal(deadline, requeued.Deadline);
        Assert.Equal(SlotStatus.Queued, requeued.Status);
        var stored = await Runs.GetResultAsync(OrgA, slots[0].Id);
        Assert.Equal(2, stored!.Attempt);
        Assert.Equal(deadline, stored.Deadline);
        Assert.Equal(3, (await Runs.RequeueSlotAsync(slots[0].Id, 2, deadline.AddMinutes(1)))!.Attempt);
        Assert.Equal(RunCounts.AllQueued(1), (await RunAsync(run)).Counts);
    }

    [Fact]
    public async Task Requeueing_a_running_slot_keeps_it_running_and_the_counts_unchanged()
    {
        var (run, slots) = await QueueRunAsync(3);
        await Runs.ApplySlotEventsAsync([Started(slots[0], T0.AddSeconds(1))], T0.AddSeconds(1));
        var before = await RunAsync(run);
        var deadline = T0.AddMinutes(30);

        var requeued = await Runs.RequeueSlotAsync(slots[0].Id, 1, deadline);

        Assert.NotNull(requeued);
        Assert.Equal(SlotStatus.Running, requeued.Status);
        Assert.Equal(2, requeued.Attempt);
        Assert.Equal(deadline, requeued.Deadline);
        var stored = (await Runs.GetResultAsync(OrgA, slots[0].Id))!;
        Assert.Equal((SlotStatus.Running, 2, deadline), (stored.Status, stored.Attempt, stored.Deadline));
        Assert.Equal(T0.AddSeconds(1), stored.StartedAt);
        Assert.Equal("worker-1", stored.WorkerId);
        Assert.Equal(new RunCounts(Queued: 2, Running: 1), (await RunAsync(run)).Counts);
        Assert.Equal(before.Counts, (await RunAsync(run)).Counts);
        await AssertCountsEqualSlotsAsync(run);

        // Whichever attempt finishes first completes it, exactly once.
        await Runs.ApplySlotEventsAsync([Finished(slots[0]), Finished(slots[0], Verdict.Failed)], T0.AddSeconds(9));
        Assert.Equal(Verdict.Passed, (await Runs.GetResultAsync(OrgA, slots[0].Id))!.Verdict);
        Assert.Equal(new RunCounts(Queued: 2, Completed: 1, Passed: 1), (await RunAsync(run)).Counts);
    }

    [Fact]
    public async Task A_terminal_or_unknown_slot_is_not_requeued()
    {
        var (run, slots) = await QueueRunAsync(4);
        await Runs.ApplySlotEventsAsync([Finished(slots[0]), Finished(slots[1], null, SlotStatus.Error), WorkerLost(slots[2])], T0.AddSeconds(1));
        var (cancelled, cancelledSlots) = await QueueRunAsync(1);
        await Runs.CancelRunAsync(cancelled.Id, null, T0.AddSeconds(2));

        foreach (var slot in new[] { slots[0], slots[1], slots[2], cancelledSlots[0] })
        {
            Assert.Null(await Runs.RequeueSlotAsync(slot.Id, 1, T0.AddHours(1)));
            var stored = (await Runs.GetResultAsync(OrgA, slot.Id))!;
            Assert.Equal((1, T0 + Deadline), (stored.Attempt, stored.Deadline));
        }
        Assert.Null(await Runs.RequeueSlotAsync(ResourceIds.New(ResourceIds.Result), 1, T0.AddHours(1)));
        await AssertCountsEqualSlotsAsync(run);
        await AssertCountsEqualSlotsAsync(cancelled);
    }

    [Fact]
    public async Task Requeueing_from_an_attempt_that_already_moved_on_changes_nothing()
    {
        var (_, slots) = await QueueRunAsync(1);
        Assert.NotNull(await Runs.RequeueSlotAsync(slots[0].Id, 1, T0.AddMinutes(10)));

        // A second sweeper still holding attempt 1 (a stale read), or one guessing ahead.
        Assert.Null(await Runs.RequeueSlotAsync(slots[0].Id, 1, T0.AddMinutes(20)));
        Assert.Null(await Runs.RequeueSlotAsync(slots[0].Id, 3, T0.AddMinutes(20)));

        var stored = (await Runs.GetResultAsync(OrgA, slots[0].Id))!;
        Assert.Equal((2, T0.AddMinutes(10)), (stored.Attempt, stored.Deadline));
    }

    [Fact]
    public async Task Of_16_concurrent_sweepers_that_saw_the_same_attempt_exactly_one_requeues()
    {
        var (run, slots) = await QueueRunAsync(2);
        await Runs.ApplySlotEventsAsync([Started(slots[1])], T0.AddSeconds(1));

        foreach (var slot in slots)
        {
            var requeues = await InParallelAsync(16, i => Runs.RequeueSlotAsync(slot.Id, 1, T0.AddMinutes(10).AddSeconds(i)));

            var winner = Assert.Single(requeues, r => r is not null);
            var stored = (await Runs.GetResultAsync(OrgA, slot.Id))!;
            Assert.Equal(2, stored.Attempt);
            Assert.Equal(winner!.Deadline, stored.Deadline);
        }
        Assert.Equal(new RunCounts(Queued: 1, Running: 1), (await RunAsync(run)).Counts);
    }
}
