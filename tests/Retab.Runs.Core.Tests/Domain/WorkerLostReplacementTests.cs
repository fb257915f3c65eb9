using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using static Retab.Runs.Core.Tests.Domain.DomainBuilders;

namespace Retab.Runs.Core.Tests.Domain;

/// <summary>
/// The one move out of a terminal slot: a worker's late result replaces the sweeper's <c>worker_lost</c> while the run
/// is active, with the exact count change; nothing else replaces it, and nothing does once the run has ended.
/// </summary>
public class WorkerLostReplacementTests
{
    private static readonly DateTimeOffset SweptAt = T0.AddMinutes(10);

    private static SlotFinished Swept(TestResult slot, DateTimeOffset? at = null) =>
        SlotFinished.Failed(slot.RunId, slot.Id, at ?? SweptAt, RunErrorCodes.WorkerLost, "No worker finished this test in time.");

    /// <summary>A slot the sweeper ended as worker_lost, from <paramref name="status"/>.</summary>
    private static TestResult Lost(SlotStatus status = SlotStatus.Running)
    {
        var slot = Slot(status);
        return SlotTransitions.Apply(slot, Swept(slot), runIsActive: true)!.Slot;
    }

    [Theory]
    [InlineData(Verdict.Passed)]
    [InlineData(Verdict.Failed)]
    [InlineData(Verdict.Blocked)]
    public void A_workers_late_completion_replaces_worker_lost_while_the_run_is_active(Verdict verdict)
    {
        var lost = Lost();

        var change = SlotTransitions.Apply(lost, Finished(lost, verdict: verdict, at: SweptAt.AddMinutes(1), startedAt: T0.AddSeconds(1)), runIsActive: true);

        Assert.NotNull(change);
        Assert.Equal(SlotStatus.Error, change.From);
        Assert.Equal((SlotStatus.Completed, verdict), (change.Slot.Status, change.Slot.Verdict));
        Assert.Null(change.Slot.Error);
        Assert.Equal("worker-2", change.Slot.WorkerId);
        Assert.NotNull(change.Slot.HandleOutputs);
        Assert.Equal(new RunCounts(Error: -1, Completed: 1) with
        {
            Passed = verdict == Verdict.Passed ? 1 : 0,
            Failed = verdict == Verdict.Failed ? 1 : 0,
            Blocked = verdict == Verdict.Blocked ? 1 : 0,
        }, change.CountDelta);
    }

    [Fact]
    public void A_workers_late_error_replaces_worker_lost_with_its_own_error_and_moves_no_count()
    {
        var lost = Lost();
        var error = new SlotError(RunErrorCodes.ModelUnavailable, "the model server failed every retry");

        var change = SlotTransitions.Apply(lost, Finished(lost, SlotStatus.Error, null, at: SweptAt.AddMinutes(1), error: error), runIsActive: true);

        Assert.NotNull(change);
        Assert.Equal(SlotStatus.Error, change.Slot.Status);
        Assert.Equal(error, change.Slot.Error);
        Assert.Equal(SweptAt.AddMinutes(1), change.Slot.CompletedAt);
        Assert.False(change.MovesCounts);
    }

    [Fact]
    public void The_replacement_takes_the_workers_times_not_when_the_sweeper_gave_up()
    {
        // Never started: the sweeper's ending recorded its own time as the start.
        var lost = Lost(SlotStatus.Queued);
        Assert.Equal(SweptAt, lost.StartedAt);

        var replaced = SlotTransitions.Apply(lost, Finished(lost, at: T0.AddSeconds(9), startedAt: T0.AddSeconds(4)), runIsActive: true)!.Slot;

        Assert.Equal((T0.AddSeconds(4), T0.AddSeconds(9)), (replaced.StartedAt, replaced.CompletedAt));
        Assert.Equal(5000, replaced.DurationMs);
    }

    [Theory]
    [InlineData(SlotStatus.Completed)]
    [InlineData(SlotStatus.Error)]
    public void Once_the_run_has_ended_a_late_result_changes_nothing(SlotStatus outcome)
    {
        var lost = Lost();

        Assert.Null(SlotTransitions.Apply(lost, Finished(lost, outcome, error: new SlotError(RunErrorCodes.DeadlineExceeded, "late")), runIsActive: false));
    }

    [Fact]
    public void An_ending_without_a_worker_never_replaces_worker_lost()
    {
        var lost = Lost();

        Assert.Null(SlotTransitions.Apply(lost, Swept(lost, SweptAt.AddMinutes(5)), runIsActive: true));
        Assert.Null(SlotTransitions.Apply(lost, SlotFinished.Failed(lost.RunId, lost.Id, SweptAt, RunErrorCodes.ExecutionFailed, "poison"), runIsActive: true));
    }

    [Fact]
    public void A_worker_reporting_worker_lost_itself_does_not_replace_it()
    {
        var lost = Lost();

        Assert.Null(SlotTransitions.Apply(lost, Finished(lost, SlotStatus.Error, null, error: new SlotError(RunErrorCodes.WorkerLost, "x")), runIsActive: true));
    }

    [Theory]
    [InlineData(RunErrorCodes.ExecutionFailed)]
    [InlineData(RunErrorCodes.DeadlineExceeded)]
    [InlineData(RunErrorCodes.ResultTooLarge)]
    [InlineData(null)]
    public void Only_worker_lost_is_replaced_not_any_other_error(string? code)
    {
        var slot = Slot(SlotStatus.Running);
        var failed = SlotTransitions.Apply(slot, Finished(slot, SlotStatus.Error, null, error: code is null ? null : new SlotError(code, "x")), runIsActive: true)!.Slot;

        Assert.Null(SlotTransitions.Apply(failed, Finished(slot, at: SweptAt), runIsActive: true));
    }

    [Fact]
    public void A_duplicate_late_result_is_a_no_op_after_it_replaced_worker_lost()
    {
        var lost = Lost();
        var late = Finished(lost, verdict: Verdict.Failed, at: SweptAt.AddMinutes(1));
        var lateError = Finished(lost, SlotStatus.Error, null, error: new SlotError(RunErrorCodes.DeadlineExceeded, "late"));

        var completed = SlotTransitions.Apply(lost, late, runIsActive: true)!.Slot;
        var failed = SlotTransitions.Apply(lost, lateError, runIsActive: true)!.Slot;

        Assert.Null(SlotTransitions.Apply(completed, late, runIsActive: true));
        Assert.Null(SlotTransitions.Apply(completed, lateError, runIsActive: true));
        Assert.Null(SlotTransitions.Apply(failed, lateError, runIsActive: true));
        Assert.Null(SlotTransitions.Apply(failed, late, runIsActive: true));
    }

    [Fact]
    public void A_late_start_does_not_reopen_a_lost_slot()
    {
        var lost = Lost();
        Assert.Null(SlotTransitions.Apply(lost, Started(lost, SweptAt.AddMinutes(1)), runIsActive: true));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Counts_kept_by_deltas_equal_the_slots_through_losses_redeliveries_and_late_results(int seed)
    {
        var random = new Random(seed);
        var slot = Slot();
        var events = new SlotEvent[]
        {
            Started(slot), Swept(slot), Swept(slot, SweptAt.AddMinutes(1)),
            Finished(slot, verdict: (Verdict)random.Next(3), at: SweptAt.AddMinutes(2)),
            Finished(slot, SlotStatus.Error, null, error: new SlotError(RunErrorCodes.DeadlineExceeded, "late")),
        };
        for (var trial = 0; trial < 50; trial++)
        {
            var current = slot;
            var counts = RunCounts.AllQueued(1);
            foreach (var slotEvent in events.Concat(events).OrderBy(_ => random.Next()))
            {
                if (SlotTransitions.Apply(current, slotEvent, runIsActive: true) is not { } change)
                    continue;
                current = change.Slot;
                counts = counts.Plus(change.CountDelta);
            }
            Assert.True(RunLifecycle.IsTerminal(current.Status));
            Assert.Equal(RunCounts.FromSlots([(current.Status, current.Verdict)]), counts);
        }
    }
}
