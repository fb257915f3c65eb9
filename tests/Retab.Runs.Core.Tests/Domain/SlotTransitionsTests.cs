using System.Text.Json.Nodes;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using static Retab.Runs.Core.Tests.Domain.DomainBuilders;

namespace Retab.Runs.Core.Tests.Domain;

public class SlotTransitionsTests
{
    [Fact]
    public void Start_moves_a_queued_slot_to_running_and_records_who_and_when()
    {
        var slot = Slot();
        var change = SlotTransitions.Apply(slot, Started(slot, T0.AddSeconds(3), "worker-7"), runIsActive: true);

        Assert.NotNull(change);
        Assert.Equal(SlotStatus.Queued, change.From);
        Assert.Equal(SlotStatus.Running, change.Slot.Status);
        Assert.Equal(T0.AddSeconds(3), change.Slot.StartedAt);
        Assert.Equal("worker-7", change.Slot.WorkerId);
        Assert.Equal(new RunCounts(Queued: -1, Running: 1), change.CountDelta);
        Assert.True(change.MovesCounts);
    }

    [Fact]
    public void A_duplicate_start_is_a_no_op()
    {
        var slot = Slot();
        var running = SlotTransitions.Apply(slot, Started(slot), runIsActive: true)!.Slot;
        Assert.Null(SlotTransitions.Apply(running, Started(slot, T0.AddSeconds(9), "worker-other"), runIsActive: true));
    }

    [Theory]
    [InlineData(Verdict.Passed)]
    [InlineData(Verdict.Failed)]
    [InlineData(Verdict.Blocked)]
    public void Finish_from_running_completes_the_slot_with_its_verdict_and_output(Verdict verdict)
    {
        var slot = Slot();
        var running = SlotTransitions.Apply(slot, Started(slot, T0.AddSeconds(1)), runIsActive: true)!.Slot;
        var outputs = new JsonObject { ["output-json-0"] = new JsonObject { ["type"] = "json", ["data"] = "hello" } };

        var change = SlotTransitions.Apply(running, Finished(slot, verdict: verdict, outputs: outputs, at: T0.AddSeconds(5)), runIsActive: true);

        Assert.NotNull(change);
        Assert.Equal(SlotStatus.Running, change.From);
        Assert.Equal(SlotStatus.Completed, change.Slot.Status);
        Assert.Equal(verdict, change.Slot.Verdict);
        Assert.Equal(T0.AddSeconds(1), change.Slot.StartedAt);
        Assert.Equal(T0.AddSeconds(5), change.Slot.CompletedAt);
        Assert.Equal(4000, change.Slot.DurationMs);
        Assert.Equal(outputs.ToJsonString(), change.Slot.HandleOutputs!.ToJsonString());
        Assert.Equal(["a warning"], change.Slot.Warnings);
        var expectedDelta = new RunCounts(Running: -1, Completed: 1) with
        {
            Passed = verdict == Verdict.Passed ? 1 : 0,
            Failed = verdict == Verdict.Failed ? 1 : 0,
            Blocked = verdict == Verdict.Blocked ? 1 : 0,
        };
        Assert.Equal(expectedDelta, change.CountDelta);
    }

    [Fact]
    public void Finish_from_queued_skips_running_and_takes_the_start_time_from_the_event()
    {
        var slot = Slot();
        var change = SlotTransitions.Apply(slot, Finished(slot, verdict: Verdict.Failed, at: T0.AddSeconds(9), startedAt: T0.AddSeconds(4)), runIsActive: true);

        Assert.NotNull(change);
        Assert.Equal(SlotStatus.Queued, change.From);
        Assert.Equal(SlotStatus.Completed, change.Slot.Status);
        Assert.Equal(T0.AddSeconds(4), change.Slot.StartedAt);
        Assert.Equal(new RunCounts(Queued: -1, Completed: 1, Failed: 1), change.CountDelta);
    }

    [Fact]
    public void Finish_from_queued_without_a_start_time_starts_and_ends_at_the_event_time()
    {
        var slot = Slot();
        var change = SlotTransitions.Apply(slot, Finished(slot, at: T0.AddSeconds(9)), runIsActive: true)!;
        Assert.Equal(T0.AddSeconds(9), change.Slot.StartedAt);
        Assert.Equal(0, change.Slot.DurationMs);
    }

    [Fact]
    public void Finish_in_error_records_the_error_and_no_verdict()
    {
        var slot = Slot(SlotStatus.Running);
        var error = new SlotError("worker_lost", "gone");
        var change = SlotTransitions.Apply(slot, Finished(slot, SlotStatus.Error, verdict: Verdict.Passed, error: error), runIsActive: true)!;

        Assert.Equal(SlotStatus.Error, change.Slot.Status);
        Assert.Null(change.Slot.Verdict);
        Assert.Equal(error, change.Slot.Error);
        Assert.Equal(new RunCounts(Running: -1, Error: 1), change.CountDelta);
    }

    [Theory]
    [InlineData(SlotStatus.Completed)]
    [InlineData(SlotStatus.Error)]
    public void A_duplicate_finish_is_a_no_op(SlotStatus outcome)
    {
        var slot = Slot(SlotStatus.Running);
        var finished = SlotTransitions.Apply(slot, Finished(slot, outcome), runIsActive: true)!.Slot;

        Assert.Null(SlotTransitions.Apply(finished, Finished(slot, outcome), runIsActive: true));
        Assert.Null(SlotTransitions.Apply(finished, Finished(slot, SlotStatus.Completed, Verdict.Failed), runIsActive: true));
        Assert.Null(SlotTransitions.Apply(finished, Finished(slot, SlotStatus.Error, null), runIsActive: true));
    }

    [Fact]
    public void A_start_after_finish_is_a_no_op()
    {
        var slot = Slot();
        var finished = SlotTransitions.Apply(slot, Finished(slot), runIsActive: true)!.Slot;
        Assert.Null(SlotTransitions.Apply(finished, Started(slot), runIsActive: true));
    }

    [Fact]
    public void A_start_after_cancel_is_a_no_op()
    {
        var slot = Slot(SlotStatus.Cancelled);
        Assert.Null(SlotTransitions.Apply(slot, Started(slot), runIsActive: true));
    }

    [Fact]
    public void Finish_after_cancel_keeps_the_slot_cancelled_stores_the_output_and_moves_no_count()
    {
        var slot = Slot(SlotStatus.Cancelled);
        var outputs = new JsonObject { ["output-json-0"] = new JsonObject { ["type"] = "json", ["data"] = new JsonObject { ["late"] = true } } };

        var change = SlotTransitions.Apply(slot, Finished(slot, verdict: Verdict.Passed, outputs: outputs), runIsActive: true);

        Assert.NotNull(change);
        Assert.Equal(SlotStatus.Cancelled, change.Slot.Status);
        Assert.Equal(new RunCounts(), change.CountDelta);
        Assert.False(change.MovesCounts);
        Assert.True(change.Slot.ArrivedAfterCancel);
        Assert.Equal(outputs.ToJsonString(), change.Slot.HandleOutputs!.ToJsonString());
        Assert.Equal(Verdict.Passed, change.Slot.Verdict);
        // Counted from the slots, the late verdict still does not count.
        Assert.Equal(new RunCounts(Cancelled: 1), RunCounts.FromSlots([(change.Slot.Status, change.Slot.Verdict)]));
    }

    [Fact]
    public void A_late_result_after_cancel_is_stored_only_once()
    {
        var slot = Slot(SlotStatus.Cancelled);
        var first = SlotTransitions.Apply(slot, Finished(slot, verdict: Verdict.Passed), runIsActive: true)!.Slot;

        var second = new JsonObject { ["output-json-0"] = new JsonObject { ["type"] = "json", ["data"] = "second" } };
        Assert.Null(SlotTransitions.Apply(first, Finished(slot, verdict: Verdict.Failed, outputs: second), runIsActive: true));
    }

    [Fact]
    public void An_error_report_after_cancel_is_a_no_op()
    {
        var slot = Slot(SlotStatus.Cancelled);
        Assert.Null(SlotTransitions.Apply(slot, Finished(slot, SlotStatus.Error, null, error: new SlotError("worker_lost", "x")), runIsActive: true));
    }

    [Fact]
    public void Applying_every_event_twice_in_any_order_gives_the_same_slot_as_applying_it_once()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 50; trial++)
        {
            var slot = Slot();
            SlotEvent[] events = [Started(slot), Finished(slot, verdict: (Verdict)random.Next(3))];
            var deliveries = events.Concat(events).OrderBy(_ => random.Next()).ToList();
            var counts = RunCounts.AllQueued(1);
            foreach (var slotEvent in deliveries)
            {
                if (SlotTransitions.Apply(slot, slotEvent, runIsActive: true) is not { } change)
                    continue;
                slot = change.Slot;
                counts = counts.Plus(change.CountDelta);
            }
            Assert.Equal(SlotStatus.Completed, slot.Status);
            Assert.Equal(((SlotFinished)events[1]).Verdict, slot.Verdict);
            Assert.Equal(RunCounts.FromSlots([(slot.Status, slot.Verdict)]), counts);
        }
    }

    [Fact]
    public void A_finish_failed_instead_ends_the_slot_in_error_without_what_the_worker_reported_and_keeps_its_times()
    {
        var slot = Slot();
        var running = SlotTransitions.Apply(slot, Started(slot, T0.AddSeconds(1)), runIsActive: true)!.Slot;
        var finished = Finished(slot, verdict: Verdict.Passed, at: T0.AddSeconds(5)) with
        {
            RoutingDecisions = new JsonArray("output-file-a"),
            Consensus = new JsonObject { ["likelihoods"] = new JsonObject() },
        };

        var change = SlotTransitions.Apply(running, finished.FailedInstead(new SlotError("result_too_large", "too large")), runIsActive: true)!;

        Assert.Equal(SlotStatus.Error, change.Slot.Status);
        Assert.Equal(new SlotError("result_too_large", "too large"), change.Slot.Error);
        Assert.Null(change.Slot.Verdict);
        Assert.Null(change.Slot.HandleOutputs);
        Assert.Null(change.Slot.AssertionResult);
        Assert.Null(change.Slot.RoutingDecisions);
        Assert.Null(change.Slot.Consensus);
        Assert.Empty(change.Slot.Warnings);
        Assert.Equal("worker-2", change.Slot.WorkerId);
        Assert.Equal((T0.AddSeconds(1), T0.AddSeconds(5)), (change.Slot.StartedAt, change.Slot.CompletedAt));
        Assert.Equal(new RunCounts(Running: -1, Error: 1), change.CountDelta);
    }

    [Fact]
    public void A_finish_failed_instead_for_a_cancelled_slot_changes_nothing()
    {
        var slot = Slot(SlotStatus.Cancelled);

        Assert.Null(SlotTransitions.Apply(slot, Finished(slot).FailedInstead(new SlotError("result_too_large", "too large")), runIsActive: true));
    }
}
