using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Storage.Tests;

/// <summary>
/// A worker's result that arrives after the sweeper ended its slot as <c>worker_lost</c> replaces that guess while the
/// run is active, with the exact count change; once the run has ended it changes nothing, so the counts announced in
/// <c>TestRunCompleted</c> stay final and the counts always equal the slots.
/// </summary>
public abstract partial class RunStoreContract
{
    [Fact]
    public async Task A_late_result_before_the_run_ends_replaces_worker_lost_and_is_counted()
    {
        var (run, slots) = await QueueRunAsync(3);
        await Runs.ApplySlotEventsAsync([Started(slots[0], T0.AddSeconds(1)), Finished(slots[1])], T0.AddSeconds(2));
        await Runs.ApplySlotEventsAsync([WorkerLost(slots[0], T0.AddMinutes(5))], T0.AddMinutes(5));
        Assert.Equal(new RunCounts(Queued: 1, Completed: 1, Error: 1, Passed: 1), (await RunAsync(run)).Counts);

        var late = Finished(slots[0], Verdict.Failed, at: T0.AddMinutes(6)) with { StartedAt = T0.AddSeconds(1) };
        var progress = await Runs.ApplySlotEventsAsync([late], T0.AddMinutes(6));

        var expected = new RunCounts(Queued: 1, Completed: 2, Passed: 1, Failed: 1);
        Assert.Equal(expected, Assert.Single(progress).Run.Counts);
        Assert.Equal(expected, (await RunAsync(run)).Counts);
        await AssertCountsEqualSlotsAsync(run);
        var replaced = (await Runs.GetResultAsync(OrgA, slots[0].Id))!;
        Assert.Equal((SlotStatus.Completed, Verdict.Failed), (replaced.Status, replaced.Verdict));
        Assert.Null(replaced.Error);
        Assert.Equal("worker-1", replaced.WorkerId);
        Assert.Equal((T0.AddSeconds(1), T0.AddMinutes(6)), (replaced.StartedAt, replaced.CompletedAt));
        Assert.Equal(late.HandleOutputs!.ToJsonString(), replaced.HandleOutputs!.ToJsonString());
        Assert.Equal(expected, (await Runs.ReconcileCountsAsync(run.Id))!.Counts);

        // The run then completes with the worker's verdict in its counts.
        await Runs.ApplySlotEventsAsync([Finished(slots[2])], T0.AddMinutes(7));
        var completed = await Runs.CompleteRunAsync(run.Id, T0.AddMinutes(8));
        Assert.Equal(new RunCounts(Completed: 3, Passed: 2, Failed: 1), completed!.Counts);
    }

    [Fact]
    public async Task A_late_error_before_the_run_ends_replaces_worker_lost_with_the_workers_error()
    {
        var (run, slots) = await QueueRunAsync(2);
        await Runs.ApplySlotEventsAsync([WorkerLost(slots[0], T0.AddMinutes(5))], T0.AddMinutes(5));
        var before = await RunAsync(run);

        await Runs.ApplySlotEventsAsync([Finished(slots[0], null, SlotStatus.Error, T0.AddMinutes(6))], T0.AddMinutes(6));

        var replaced = (await Runs.GetResultAsync(OrgA, slots[0].Id))!;
        Assert.Equal(SlotStatus.Error, replaced.Status);
        Assert.Equal(RunErrorCodes.DeadlineExceeded, replaced.Error!.Code);
        Assert.Equal("worker-1", replaced.WorkerId);
        Assert.Equal(T0.AddMinutes(6), replaced.CompletedAt);
        Assert.Equal(new RunCounts(Queued: 1, Error: 1), before.Counts);
        Assert.Equal(before.Counts, (await RunAsync(run)).Counts);
        await AssertCountsEqualSlotsAsync(run);
    }

    [Fact]
    public async Task A_late_result_after_the_run_completed_changes_neither_the_slot_nor_the_counts()
    {
        var (run, slots) = await QueueRunAsync(2);
        await Runs.ApplySlotEventsAsync([Finished(slots[1]), WorkerLost(slots[0], T0.AddMinutes(5))], T0.AddMinutes(5));
        var completed = (await Runs.CompleteRunAsync(run.Id, T0.AddMinutes(5)))!;
        Assert.Equal(new RunCounts(Completed: 1, Error: 1, Passed: 1), completed.Counts);

        var progress = await Runs.ApplySlotEventsAsync([Finished(slots[0], at: T0.AddMinutes(6))], T0.AddMinutes(6));

        Assert.Equal(completed.Counts, Assert.Single(progress).Run.Counts);
        await AssertSlotStillLostAsync(slots[0]);
        var stored = await RunAsync(run);
        Assert.Equal(RunStatus.Completed, stored.Status);
        Assert.Equal(completed.Counts, stored.Counts);
        Assert.Equal(completed.Counts, (await Runs.ReconcileCountsAsync(run.Id))!.Counts);
        await AssertCountsEqualSlotsAsync(run);
    }

    [Fact]
    public async Task A_late_result_after_the_run_was_cancelled_changes_neither_the_slot_nor_the_counts()
    {
        var (run, slots) = await QueueRunAsync(3);
        await Runs.ApplySlotEventsAsync([Started(slots[0]), Finished(slots[1])], T0.AddSeconds(2));
        await Runs.ApplySlotEventsAsync([WorkerLost(slots[0], T0.AddMinutes(5))], T0.AddMinutes(5));
        var cancelled = (await Runs.CancelRunAsync(run.Id, "enough", T0.AddMinutes(5)))!;
        Assert.Equal(new RunCounts(Completed: 1, Error: 1, Cancelled: 1, Passed: 1), cancelled.Counts);

        await Runs.ApplySlotEventsAsync(
            [Finished(slots[0], at: T0.AddMinutes(6)), Finished(slots[0], null, SlotStatus.Error, T0.AddMinutes(6))], T0.AddMinutes(6));

        await AssertSlotStillLostAsync(slots[0]);
        Assert.Equal(cancelled.Counts, (await RunAsync(run)).Counts);
        Assert.Equal(cancelled.Counts, (await Runs.ReconcileCountsAsync(run.Id))!.Counts);
        await AssertCountsEqualSlotsAsync(run);
    }

    [Fact]
    public async Task A_duplicate_late_result_is_a_no_op()
    {
        var (run, slots) = await QueueRunAsync(2);
        await Runs.ApplySlotEventsAsync([WorkerLost(slots[0], T0.AddMinutes(5))], T0.AddMinutes(5));
        await Runs.ApplySlotEventsAsync([Finished(slots[0], Verdict.Passed, at: T0.AddMinutes(6))], T0.AddMinutes(6));
        var before = await RunAsync(run);

        // The same result redelivered, in a batch of its own and twice in one batch, and another attempt's later one.
        await Runs.ApplySlotEventsAsync([Finished(slots[0], Verdict.Passed, at: T0.AddMinutes(6))], T0.AddMinutes(7));
        await Runs.ApplySlotEventsAsync(
        [
            Finished(slots[0], Verdict.Passed, at: T0.AddMinutes(6)),
            Finished(slots[0], Verdict.Failed, at: T0.AddMinutes(8)),
        ], T0.AddMinutes(8));

        var slot = (await Runs.GetResultAsync(OrgA, slots[0].Id))!;
        Assert.Equal((SlotStatus.Completed, Verdict.Passed, T0.AddMinutes(6)), (slot.Status, slot.Verdict, slot.CompletedAt));
        Assert.Equal(new RunCounts(Queued: 1, Completed: 1, Passed: 1), before.Counts);
        Assert.Equal(before.Counts, (await RunAsync(run)).Counts);
        await AssertCountsEqualSlotsAsync(run);
    }

    [Fact]
    public async Task A_redelivered_worker_lost_is_a_no_op()
    {
        var (run, slots) = await QueueRunAsync(2);
        await Runs.ApplySlotEventsAsync([WorkerLost(slots[0], T0.AddMinutes(5))], T0.AddMinutes(5));
        var before = await RunAsync(run);

        await Runs.ApplySlotEventsAsync([WorkerLost(slots[0], T0.AddMinutes(9))], T0.AddMinutes(9));
        await Runs.ApplySlotEventsAsync([WorkerLost(slots[0], T0.AddMinutes(9)), WorkerLost(slots[0], T0.AddMinutes(10))], T0.AddMinutes(10));
        // Nor does any other ending without a worker: a fault of the execution message.
        await Runs.ApplySlotEventsAsync(
            [SlotFinished.Failed(slots[0].RunId, slots[0].Id, T0.AddMinutes(11), RunErrorCodes.ExecutionFailed, "poison")], T0.AddMinutes(11));

        var slot = await AssertSlotStillLostAsync(slots[0]);
        Assert.Equal(T0.AddMinutes(5), slot.CompletedAt);
        Assert.Equal(new RunCounts(Queued: 1, Error: 1), before.Counts);
        Assert.Equal(before.Counts, (await RunAsync(run)).Counts);
        await AssertCountsEqualSlotsAsync(run);

        // A worker_lost after the worker's result was taken does not undo it either.
        await Runs.ApplySlotEventsAsync([Finished(slots[0], at: T0.AddMinutes(12))], T0.AddMinutes(12));
        await Runs.ApplySlotEventsAsync([WorkerLost(slots[0], T0.AddMinutes(13))], T0.AddMinutes(13));
        Assert.Equal(SlotStatus.Completed, (await Runs.GetResultAsync(OrgA, slots[0].Id))!.Status);
        Assert.Equal(new RunCounts(Queued: 1, Completed: 1, Passed: 1), (await RunAsync(run)).Counts);
    }

    [Fact]
    public async Task Late_results_racing_the_runs_completion_never_change_the_counts_it_completed_with()
    {
        const int total = 120;
        var (run, slots) = await QueueRunAsync(total);
        var lost = slots.Where((_, i) => i % 2 == 0).ToList();
        await Runs.ApplySlotEventsAsync(slots.Except(lost).Select(s => (SlotEvent)Finished(s)).ToList(), T0.AddSeconds(2));
        await Runs.ApplySlotEventsAsync(lost.Select(s => (SlotEvent)WorkerLost(s)).ToList(), T0.AddMinutes(5));
        var late = lost.Select(s => (SlotEvent)Finished(s, Verdict.Failed, at: T0.AddMinutes(6))).ToList();
        var batches = DuplicatedShuffledBatches(late.Take(late.Count / 2), new Random(17));

        var half = batches.Count / 2;
        var stream = DrainAsync(batches, 8, n => T0.AddMinutes(6).AddSeconds(n));
        var completion = Task.Run(async () =>
        {
            while (batches.Count > half)
                await Task.Delay(1);
            return await Runs.CompleteRunAsync(run.Id, T0.AddMinutes(7));
        });
        await stream;
        var completed = await completion;

        Assert.NotNull(completed);
        await AssertEndedWithFinalCountsAsync(run, completed, late, total);
    }

    [Fact]
    public async Task Late_results_racing_the_runs_cancellation_never_change_the_counts_it_was_cancelled_with()
    {
        const int total = 120;
        var (run, slots) = await QueueRunAsync(total);
        var lost = slots.Where((_, i) => i % 2 == 0).ToList();
        await Runs.ApplySlotEventsAsync(slots.Except(lost).Select(s => (SlotEvent)Started(s)).ToList(), T0.AddSeconds(2));
        await Runs.ApplySlotEventsAsync(lost.Select(s => (SlotEvent)WorkerLost(s)).ToList(), T0.AddMinutes(5));
        var late = lost.Select(s => (SlotEvent)Finished(s, Verdict.Blocked, at: T0.AddMinutes(6))).ToList();
        var batches = DuplicatedShuffledBatches(late.Take(late.Count / 2), new Random(23));

        var half = batches.Count / 2;
        var stream = DrainAsync(batches, 8, n => T0.AddMinutes(6).AddSeconds(n));
        var cancel = Task.Run(async () =>
        {
            while (batches.Count > half)
                await Task.Delay(1);
            return await Runs.CancelRunAsync(run.Id, "midway", T0.AddMinutes(7));
        });
        await stream;
        var cancelled = await cancel;

        Assert.NotNull(cancelled);
        Assert.Equal(total / 2, cancelled.Counts.Cancelled);
        await AssertEndedWithFinalCountsAsync(run, cancelled, late, total);
    }

    /// <summary>
    /// The counts a run ended with (what <c>TestRunCompleted</c> announces) are its stored counts and equal its slots,
    /// now and after every late result is delivered (again, or for the first time: the racing half of them raced the
    /// ending; the other half only comes now, so a late result that still moves an ended run cannot go unnoticed).
    /// </summary>
    private async Task AssertEndedWithFinalCountsAsync(TestRun run, TestRun ended, IReadOnlyList<SlotEvent> late, int total)
    {
        var stored = await RunAsync(run);
        Assert.Equal(ended.Status, stored.Status);
        Assert.Equal(ended.Counts, stored.Counts);
        Assert.Equal(total, stored.Counts.Total);
        await AssertCountsEqualSlotsAsync(run);

        await DrainAsync(DuplicatedShuffledBatches(late, new Random(5)), 4, n => T0.AddMinutes(30).AddSeconds(n));
        Assert.Equal(ended.Counts, (await RunAsync(run)).Counts);
        await AssertCountsEqualSlotsAsync(run);
    }

    private async Task<TestResult> AssertSlotStillLostAsync(TestResult slot)
    {
        var stored = (await Runs.GetResultAsync(OrgA, slot.Id))!;
        Assert.Equal(SlotStatus.Error, stored.Status);
        Assert.Equal(RunErrorCodes.WorkerLost, stored.Error!.Code);
        Assert.Null(stored.Verdict);
        Assert.Null(stored.HandleOutputs);
        return stored;
    }
}
