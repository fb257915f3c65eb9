using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.Tests;

/// <summary>The run aggregate: planning, slot events, completion, cancellation, failure and the sweeper's reads.</summary>
public abstract partial class RunStoreContract
{
    [Fact]
    public async Task A_run_reads_back_as_it_was_inserted()
    {
        var (_, _, plan) = Planned(3);
        var run = NewPendingRun(plan, scope: new RunScopeSpec(RunScopeType.Block, BlockId: "block_a")) with { TargetBlockId = "block_a" };
        await Runs.InsertRunAsync(run);

        var stored = await RunAsync(run);

        Assert.Equal(run.Id, stored.Id);
        Assert.Equal(run.OrganizationId, stored.OrganizationId);
        Assert.Equal(run.WorkflowId, stored.WorkflowId);
        Assert.Equal(run.WorkflowVersionId, stored.WorkflowVersionId);
        Assert.Equal(run.DraftFingerprint, stored.DraftFingerprint);
        Assert.Equal(run.InputsFingerprint, stored.InputsFingerprint);
        Assert.Equal(run.TriggerType, stored.TriggerType);
        Assert.Equal(run.Scope, stored.Scope);
        Assert.Equal(RunStatus.Pending, stored.Status);
        Assert.Equal(run.CreatedAt, stored.CreatedAt);
        Assert.Equal(run.LastProgressAt, stored.LastProgressAt);
        Assert.Equal(3, stored.TotalTests);
        Assert.Equal(RunCounts.AllQueued(3), stored.Counts);
        Assert.Equal("block_a", stored.TargetBlockId);
        Assert.False(stored.CompletionPublished);
        Assert.Null(stored.StartedAt);
        Assert.Null(stored.CompletedAt);
    }

    [Fact]
    public async Task Another_organizations_run_and_results_are_invisible()
    {
        var (run, slots) = await QueueRunAsync(2, OrgB);

        Assert.Null(await Runs.GetRunAsync(OrgA, run.Id));
        Assert.Empty((await Runs.ListRunsAsync(OrgA, new RunQuery(), new PageRequest())).Data);
        Assert.Null(await Runs.GetResultAsync(OrgA, slots[0].Id));
        Assert.Null(await Runs.GetResultByTestAsync(OrgA, run.Id, slots[0].TestId));
        Assert.Empty((await Runs.ListResultsAsync(OrgA, new ResultQuery(run.Id), new PageRequest())).Data);

        await Runs.ApplySlotEventsAsync([Finished(slots[0])], T0.AddSeconds(3));
        Assert.Null(await Runs.FindLatestResultAsync(OrgA, slots[0].TestId, null));
        Assert.NotNull(await Runs.FindLatestResultAsync(OrgB, slots[0].TestId, null));
        Assert.NotNull(await Runs.GetRunAsync(OrgB, run.Id));
    }

    [Fact]
    public async Task Queueing_a_planned_run_creates_its_slots_and_counts_them_as_queued()
    {
        var (_, tests, plan) = Planned(4);
        var run = NewPendingRun(plan);
        await Runs.InsertRunAsync(run);
        var slots = ResultSlots.Create(run, plan, T0, Deadline).ToList();

        var queued = await Runs.QueuePlannedRunAsync(run.Id, slots, T0.AddSeconds(1));

        Assert.NotNull(queued);
        Assert.Equal(RunStatus.Queued, queued.Status);
        Assert.Equal(4, queued.TotalTests);
        Assert.Equal(RunCounts.AllQueued(4), queued.Counts);
        var stored = await RunAsync(run);
        Assert.Equal(RunStatus.Queued, stored.Status);
        Assert.Equal(RunCounts.AllQueued(4), stored.Counts);
        Assert.Equal(T0.AddSeconds(1), stored.LastProgressAt);

        var listed = await AllSlotsAsync(run);
        Assert.Equal(slots.Select(s => s.Id), listed.Select(s => s.Id));
        foreach (var test in tests)
        {
            var slot = await Runs.GetResultByTestAsync(OrgA, run.Id, test.Id);
            Assert.NotNull(slot);
            Assert.Equal(SlotStatus.Queued, slot.Status);
            Assert.Equal(test.Id, slot.TestId);
            Assert.Equal(T0 + Deadline, slot.Deadline);
            Assert.Equal(test.HandleInputs.ToJsonString(), slot.HandleInputs.ToJsonString());
            Assert.Equal(slot.Id, (await Runs.GetResultAsync(OrgA, slot.Id))!.Id);
        }
    }

    [Fact]
    public async Task Queueing_a_planned_run_twice_is_a_no_op_and_never_duplicates_slots()
    {
        var (_, _, plan) = Planned(5);
        var run = NewPendingRun(plan);
        await Runs.InsertRunAsync(run);
        var slots = ResultSlots.Create(run, plan, T0, Deadline).ToList();
        Assert.NotNull(await Runs.QueuePlannedRunAsync(run.Id, slots, T0));
        await Runs.ApplySlotEventsAsync([Finished(slots[0])], T0.AddSeconds(1));

        // A redelivered CreateTestRun plans again: same slot ids, later time.
        var again = ResultSlots.Create(run, plan, T0.AddMinutes(1), Deadline).ToList();
        Assert.Null(await Runs.QueuePlannedRunAsync(run.Id, again, T0.AddMinutes(1)));

        var stored = await AllSlotsAsync(run);
        Assert.Equal(5, stored.Count);
        Assert.Equal(5, stored.Select(s => s.Id).Distinct().Count());
        Assert.Equal(SlotStatus.Completed, stored.Single(s => s.Id == slots[0].Id).Status);
        Assert.Equal(new RunCounts(Queued: 4, Completed: 1, Passed: 1), (await RunAsync(run)).Counts);
        await AssertCountsEqualSlotsAsync(run);
    }

    [Fact]
    public async Task A_plan_larger_than_one_chunk_is_stored_whole_and_counted_exactly()
    {
        var testCount = ResultSlots.ChunkSize * 2 + 7;
        var (_, _, plan) = Planned(testCount);
        var run = NewPendingRun(plan);
        await Runs.InsertRunAsync(run);

        var queued = await Runs.QueuePlannedRunAsync(run.Id, ResultSlots.Create(run, plan, T0, Deadline), T0);

        Assert.Equal(RunCounts.AllQueued(testCount), queued!.Counts);
        Assert.Equal(testCount, (await AllSlotsAsync(run)).Select(s => s.Id).Distinct().Count());
        await AssertCountsEqualSlotsAsync(run);
    }

    [Fact]
    public async Task Slots_created_for_a_run_cancelled_while_it_was_planned_end_cancelled()
    {
        var (_, _, plan) = Planned(ResultSlots.ChunkSize + 5);
        var run = NewPendingRun(plan);
        await Runs.InsertRunAsync(run);

        // The cancel lands after the first chunk of slots was stored.
        var cancelled = false;
        IEnumerable<TestResult> SlotsCancellingMidway()
        {
            foreach (var (slot, index) in ResultSlots.Create(run, plan, T0, Deadline).Select((s, i) => (s, i)))
            {
                if (index == ResultSlots.ChunkSize && !cancelled)
                    cancelled = Runs.CancelRunAsync(run.Id, "changed my mind", T0.AddSeconds(1)).GetAwaiter().GetResult() is not null;
                yield return slot;
            }
        }

        Assert.Null(await Runs.QueuePlannedRunAsync(run.Id, SlotsCancellingMidway(), T0.AddSeconds(2)));

        Assert.True(cancelled);
        Assert.Equal(RunStatus.Cancelled, (await RunAsync(run)).Status);
        var slots = await AllSlotsAsync(run);
        Assert.NotEmpty(slots);
        Assert.All(slots, s => Assert.Equal(SlotStatus.Cancelled, s.Status));
    }

    [Fact]
    public async Task Concurrent_queueing_of_the_same_run_succeeds_once()
    {
        var (_, _, plan) = Planned(20);
        var run = NewPendingRun(plan);
        await Runs.InsertRunAsync(run);

        var results = await InParallelAsync(8, _ => Runs.QueuePlannedRunAsync(run.Id, ResultSlots.Create(run, plan, T0, Deadline), T0));

        Assert.Single(results, r => r is not null);
        Assert.Equal(20, (await AllSlotsAsync(run)).Count);
        await AssertCountsEqualSlotsAsync(run);
    }

    [Fact]
    public async Task Queueing_an_unknown_run_returns_null()
    {
        var (_, _, plan) = Planned(1);
        var ghost = NewPendingRun(plan);
        Assert.Null(await Runs.QueuePlannedRunAsync(ghost.Id, ResultSlots.Create(ghost, plan, T0, Deadline), T0));
    }

    [Fact]
    public async Task A_slot_whose_block_is_gone_is_counted_as_completed_blocked_when_queued()
    {
        var (workflow, tests, _) = Planned(3);
        var plan = RunPlanner.Plan(workflow.WithDraft([FunctionBlock("block_a")], T0), tests, RunScopeSpec.WholeWorkflow); // block_b removed
        var run = NewPendingRun(plan);
        await Runs.InsertRunAsync(run);

        var queued = await Runs.QueuePlannedRunAsync(run.Id, ResultSlots.Create(run, plan, T0, Deadline), T0);

        Assert.Equal(new RunCounts(Queued: 2, Completed: 1, Blocked: 1), queued!.Counts);
        await AssertCountsEqualSlotsAsync(run);
    }

    [Fact]
    public async Task The_first_slot_event_starts_the_run_once()
    {
        var (run, slots) = await QueueRunAsync(3);

        var first = await Runs.ApplySlotEventsAsync([Started(slots[0], T0.AddSeconds(1)), Started(slots[1], T0.AddSeconds(1))], T0.AddSeconds(2));
        var progress = Assert.Single(first);
        Assert.True(progress.StartedNow);
        Assert.Equal(RunStatus.Running, progress.Run.Status);
        Assert.Equal(T0.AddSeconds(2), progress.Run.StartedAt);
        Assert.Equal(new RunCounts(Queued: 1, Running: 2), progress.Run.Counts);

        var second = await Runs.ApplySlotEventsAsync([Finished(slots[0], Verdict.Failed)], T0.AddSeconds(3));
        progress = Assert.Single(second);
        Assert.False(progress.StartedNow);
        Assert.Equal(T0.AddSeconds(2), progress.Run.StartedAt);
        Assert.Equal(new RunCounts(Queued: 1, Running: 1, Completed: 1, Failed: 1), progress.Run.Counts);

        var stored = await RunAsync(run);
        Assert.Equal(progress.Run.Counts, stored.Counts);
        Assert.Equal(RunStatus.Running, stored.Status);
        Assert.Equal(T0.AddSeconds(3), stored.LastProgressAt);
    }

    [Fact]
    public async Task A_finished_event_stores_the_output_and_the_assertion_result()
    {
        var (run, slots) = await QueueRunAsync(1);
        var finished = Finished(slots[0], Verdict.Failed, at: T0.AddSeconds(7)) with
        {
            StartedAt = T0.AddSeconds(4),
            Warnings = ["slow"],
            AssertionResult = new AssertionResult
            {
                AssertionId = slots[0].Assertion.Id,
                ConditionKind = "equals",
                Outcome = AssertionOutcome.Failed,
                ActualValue = 1,
                ExpectedValue = 2,
                Score = 0.25,
                Threshold = 0.5,
                MetricKind = "levenshtein",
                AssertionLabel = "label",
                Failure = new AssertionFailure("not_equal", "1 is not 2", new System.Text.Json.Nodes.JsonObject { ["path"] = "value" }),
            },
        };
        await Runs.ApplySlotEventsAsync([finished], T0.AddSeconds(8));

        var slot = await Runs.GetResultAsync(OrgA, slots[0].Id);

        Assert.NotNull(slot);
        Assert.Equal(SlotStatus.Completed, slot.Status);
        Assert.Equal(Verdict.Failed, slot.Verdict);
        Assert.Equal(T0.AddSeconds(4), slot.StartedAt);
        Assert.Equal(T0.AddSeconds(7), slot.CompletedAt);
        Assert.Equal(3000, slot.DurationMs);
        Assert.Equal(["slow"], slot.Warnings);
        Assert.Equal("worker-1", slot.WorkerId);
        Assert.Equal(EngineInfo.Version, slot.EngineVersion);
        Assert.Equal(finished.HandleOutputs!.ToJsonString(), slot.HandleOutputs!.ToJsonString());
        var result = slot.AssertionResult!;
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Equal("1", result.ActualValue!.ToJsonString());
        Assert.Equal("2", result.ExpectedValue!.ToJsonString());
        Assert.Equal(0.25, result.Score);
        Assert.Equal(0.5, result.Threshold);
        Assert.Equal("levenshtein", result.MetricKind);
        Assert.Equal("not_equal", result.Failure!.Code);
        Assert.Equal("""{"path":"value"}""", result.Failure.Details!.ToJsonString());
        Assert.Equal(slot.Id, (await Runs.GetResultByTestAsync(OrgA, run.Id, slots[0].TestId))!.Id);
    }

    [Fact]
    public async Task Duplicate_and_out_of_order_events_change_nothing()
    {
        var (run, slots) = await QueueRunAsync(2);
        await Runs.ApplySlotEventsAsync([Finished(slots[0], Verdict.Passed)], T0.AddSeconds(2));
        var before = await RunAsync(run);
        var slotBefore = await Runs.GetResultAsync(OrgA, slots[0].Id);

        var progress = await Runs.ApplySlotEventsAsync(
        [
            Finished(slots[0], Verdict.Failed, at: T0.AddSeconds(9)),
            Started(slots[0], T0.AddSeconds(9)),
            Finished(slots[0], null, SlotStatus.Error, T0.AddSeconds(9)),
        ], T0.AddSeconds(10));

        // The run is still reported (so a redelivered batch can complete it), unchanged.
        var reported = Assert.Single(progress);
        Assert.Equal(run.Id, reported.Run.Id);
        Assert.False(reported.StartedNow);
        Assert.Equal(before.Counts, reported.Run.Counts);
        Assert.Equal(before.Counts, (await RunAsync(run)).Counts);
        var slotAfter = await Runs.GetResultAsync(OrgA, slots[0].Id);
        Assert.Equal(Verdict.Passed, slotAfter!.Verdict);
        Assert.Equal(slotBefore!.CompletedAt, slotAfter.CompletedAt);
    }

    [Fact]
    public async Task Events_naming_an_unknown_result_or_another_runs_result_are_ignored()
    {
        var (runA, slotsA) = await QueueRunAsync(1);
        var (runB, _) = await QueueRunAsync(1);

        var progress = await Runs.ApplySlotEventsAsync(
        [
            new SlotStarted(runA.Id, ResourceIds.New(ResourceIds.Result), T0.AddSeconds(1), "w"),
            Finished(slotsA[0]) with { RunId = runB.Id },
        ], T0.AddSeconds(1));

        Assert.All(progress, p =>
        {
            Assert.False(p.StartedNow);
            Assert.Equal(RunCounts.AllQueued(1), p.Run.Counts);
        });
        Assert.Equal(RunCounts.AllQueued(1), (await RunAsync(runA)).Counts);
        Assert.Equal(RunCounts.AllQueued(1), (await RunAsync(runB)).Counts);
        Assert.Equal(SlotStatus.Queued, (await Runs.GetResultAsync(OrgA, slotsA[0].Id))!.Status);
    }

    [Fact]
    public async Task One_batch_can_move_several_runs()
    {
        var (runA, slotsA) = await QueueRunAsync(2);
        var (runB, slotsB) = await QueueRunAsync(2);

        var progress = await Runs.ApplySlotEventsAsync([Finished(slotsA[0]), Started(slotsB[0]), Finished(slotsA[1], Verdict.Blocked)], T0.AddSeconds(2));

        Assert.Equal(2, progress.Count);
        Assert.Equal(new RunCounts(Completed: 2, Passed: 1, Blocked: 1), progress.Single(p => p.Run.Id == runA.Id).Run.Counts);
        Assert.Equal(new RunCounts(Queued: 1, Running: 1), progress.Single(p => p.Run.Id == runB.Id).Run.Counts);
        await AssertCountsEqualSlotsAsync(runA);
        await AssertCountsEqualSlotsAsync(runB);
    }

    [Fact]
    public async Task A_run_completes_only_when_every_slot_is_terminal()
    {
        var (run, slots) = await QueueRunAsync(3);
        await Runs.ApplySlotEventsAsync([Finished(slots[0]), Finished(slots[1], Verdict.Failed)], T0.AddSeconds(2));

        Assert.Null(await Runs.CompleteRunAsync(run.Id, T0.AddSeconds(3)));
        Assert.Equal(RunStatus.Running, (await RunAsync(run)).Status);

        await Runs.ApplySlotEventsAsync([Finished(slots[2], null, SlotStatus.Error)], T0.AddSeconds(4));
        var completed = await Runs.CompleteRunAsync(run.Id, T0.AddSeconds(5));

        Assert.NotNull(completed);
        Assert.Equal(RunStatus.Completed, completed.Status);
        Assert.Equal(T0.AddSeconds(5), completed.CompletedAt);
        Assert.Equal(new RunCounts(Completed: 2, Error: 1, Passed: 1, Failed: 1), completed.Counts);
        var stored = await RunAsync(run);
        Assert.Equal(RunStatus.Completed, stored.Status);
        Assert.Equal(T0.AddSeconds(5), stored.CompletedAt);
        Assert.NotNull(stored.StartedAt);
        Assert.Null(await Runs.CompleteRunAsync(run.Id, T0.AddSeconds(6)));
        Assert.Equal(T0.AddSeconds(5), (await RunAsync(run)).CompletedAt);
    }

    [Fact]
    public async Task A_queued_run_whose_slots_all_finished_at_planning_completes_directly()
    {
        var (workflow, tests, _) = Planned(2);
        var plan = RunPlanner.Plan(workflow.WithDraft([FunctionBlock("block_x")], T0), tests, RunScopeSpec.WholeWorkflow);
        var run = NewPendingRun(plan);
        await Runs.InsertRunAsync(run);
        await Runs.QueuePlannedRunAsync(run.Id, ResultSlots.Create(run, plan, T0, Deadline), T0);

        var completed = await Runs.CompleteRunAsync(run.Id, T0.AddSeconds(1));

        Assert.NotNull(completed);
        Assert.Equal(new RunCounts(Completed: 2, Blocked: 2), completed.Counts);
    }

    [Fact]
    public async Task A_pending_or_unknown_run_never_completes()
    {
        var (_, _, plan) = Planned(1);
        var pending = NewPendingRun(plan);
        await Runs.InsertRunAsync(pending);
        Assert.Null(await Runs.CompleteRunAsync(pending.Id, T0));
        Assert.Null(await Runs.CompleteRunAsync(ResourceIds.New(ResourceIds.Run), T0));
        Assert.Equal(RunStatus.Pending, (await RunAsync(pending)).Status);
    }

    [Fact]
    public async Task Cancelling_mid_flight_keeps_finished_slots_and_cancels_the_rest()
    {
        var (run, slots) = await QueueRunAsync(20);
        await Runs.ApplySlotEventsAsync(slots.Take(5).Select(s => (SlotEvent)Finished(s)).ToList(), T0.AddSeconds(2));
        await Runs.ApplySlotEventsAsync(slots.Skip(5).Take(5).Select(s => (SlotEvent)Started(s)).ToList(), T0.AddSeconds(3));

        var cancelled = await Runs.CancelRunAsync(run.Id, "user asked", T0.AddSeconds(4));

        Assert.NotNull(cancelled);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.Equal("user asked", cancelled.CancelReason);
        Assert.Equal(T0.AddSeconds(4), cancelled.CompletedAt);
        Assert.Equal(new RunCounts(Completed: 5, Cancelled: 15, Passed: 5), cancelled.Counts);
        Assert.Equal(20, cancelled.Counts.Total);
        await AssertCountsEqualSlotsAsync(run);
        Assert.Empty(await Runs.GetActiveSlotsAsync(run.Id));
        var stored = await RunAsync(run);
        Assert.Equal(RunStatus.Cancelled, stored.Status);
        Assert.Equal("user asked", stored.CancelReason);
    }

    [Fact]
    public async Task Late_results_after_cancel_are_stored_but_leave_counts_unchanged()
    {
        var (run, slots) = await QueueRunAsync(6);
        await Runs.ApplySlotEventsAsync([Finished(slots[0]), Started(slots[1])], T0.AddSeconds(2));
        var cancelled = (await Runs.CancelRunAsync(run.Id, null, T0.AddSeconds(3)))!;

        var lateOutputs = new System.Text.Json.Nodes.JsonObject { ["output-json-0"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "json", ["data"] = "late" } };
        var progress = await Runs.ApplySlotEventsAsync(
        [
            Finished(slots[1], Verdict.Passed, outputs: lateOutputs),
            Finished(slots[1], Verdict.Passed, outputs: lateOutputs),
            Started(slots[2]),
            Finished(slots[3], Verdict.Failed),
            Finished(slots[4], null, SlotStatus.Error),
        ], T0.AddSeconds(9));

        Assert.DoesNotContain(progress, p => p.Run.Counts != cancelled.Counts);
        var stored = await RunAsync(run);
        Assert.Equal(cancelled.Counts, stored.Counts);
        Assert.Equal(RunStatus.Cancelled, stored.Status);
        Assert.Equal(6, stored.Counts.Total);
        await AssertCountsEqualSlotsAsync(run);

        var late = await Runs.GetResultAsync(OrgA, slots[1].Id);
        Assert.Equal(SlotStatus.Cancelled, late!.Status);
        Assert.True(late.ArrivedAfterCancel);
        Assert.Equal(lateOutputs.ToJsonString(), late.HandleOutputs!.ToJsonString());
        Assert.Equal(SlotStatus.Cancelled, (await Runs.GetResultAsync(OrgA, slots[2].Id))!.Status);
        Assert.Equal(SlotStatus.Cancelled, (await Runs.GetResultAsync(OrgA, slots[4].Id))!.Status);
        Assert.Null(await Runs.CompleteRunAsync(run.Id, T0.AddSeconds(10)));
    }

    [Fact]
    public async Task A_terminal_run_cannot_be_cancelled()
    {
        var (run, slots) = await QueueRunAsync(1);
        await Runs.ApplySlotEventsAsync([Finished(slots[0])], T0.AddSeconds(1));
        await Runs.CompleteRunAsync(run.Id, T0.AddSeconds(2));

        Assert.Null(await Runs.CancelRunAsync(run.Id, "too late", T0.AddSeconds(3)));
        var stored = await RunAsync(run);
        Assert.Equal(RunStatus.Completed, stored.Status);
        Assert.Null(stored.CancelReason);

        var (other, _) = await QueueRunAsync(1);
        Assert.NotNull(await Runs.CancelRunAsync(other.Id, null, T0.AddSeconds(3)));
        Assert.Null(await Runs.CancelRunAsync(other.Id, null, T0.AddSeconds(4)));
    }

    [Fact]
    public async Task Cancelling_a_pending_run_counts_every_planned_test_as_cancelled()
    {
        var (_, _, plan) = Planned(4);
        var run = NewPendingRun(plan);
        await Runs.InsertRunAsync(run);

        var cancelled = await Runs.CancelRunAsync(run.Id, "nope", T0.AddSeconds(1));

        Assert.NotNull(cancelled);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.Equal(4, cancelled.TotalTests);
        Assert.Equal(new RunCounts(Cancelled: 4), cancelled.Counts);
        // A CreateTestRun that arrives afterwards plans nothing.
        Assert.Null(await Runs.QueuePlannedRunAsync(run.Id, ResultSlots.Create(run, plan, T0, Deadline), T0.AddSeconds(2)));
        Assert.Equal(new RunCounts(Cancelled: 4), (await RunAsync(run)).Counts);
    }

    [Fact]
    public async Task Failing_a_pending_run_ends_it_in_error_once()
    {
        var (_, _, plan) = Planned(3);
        var run = NewPendingRun(plan);
        await Runs.InsertRunAsync(run);
        var error = new RunError(RunErrorCodes.BlockNotFound, "Block 'block_q' does not exist.", "block_q");

        var failed = await Runs.FailRunAsync(run.Id, error, T0.AddSeconds(1));

        Assert.NotNull(failed);
        Assert.Equal(RunStatus.Error, failed.Status);
        Assert.Equal(error, failed.Error);
        Assert.Equal(T0.AddSeconds(1), failed.CompletedAt);
        var stored = await RunAsync(run);
        Assert.Equal(RunStatus.Error, stored.Status);
        Assert.Equal(error, stored.Error);
        Assert.Equal(stored.TotalTests, stored.Counts.Total);
        Assert.Equal(stored.TotalTests, stored.Counts.Error);
        Assert.False(stored.CompletionPublished);

        Assert.Null(await Runs.FailRunAsync(run.Id, error with { Code = "other" }, T0.AddSeconds(2)));
        Assert.Equal(error, (await RunAsync(run)).Error);
        Assert.Null(await Runs.QueuePlannedRunAsync(run.Id, ResultSlots.Create(run, plan, T0, Deadline), T0.AddSeconds(2)));
    }

    [Fact]
    public async Task Failing_a_queued_run_ends_its_active_slots_in_error_and_counts_them()
    {
        var (run, slots) = await QueueRunAsync(4);
        await Runs.ApplySlotEventsAsync([Finished(slots[0]), Started(slots[1])], T0.AddSeconds(1));

        var failed = await Runs.FailRunAsync(run.Id, new RunError(RunErrorCodes.WorkflowNotFound, "gone"), T0.AddSeconds(2));

        Assert.NotNull(failed);
        Assert.Equal(RunStatus.Error, failed.Status);
        Assert.Equal(new RunCounts(Completed: 1, Error: 3, Passed: 1), failed.Counts);
        Assert.Equal(failed.Counts, (await RunAsync(run)).Counts);
        await AssertCountsEqualSlotsAsync(run);
        Assert.Empty(await Runs.GetActiveSlotsAsync(run.Id));
        Assert.Equal(T0.AddSeconds(2), (await Runs.GetResultAsync(OrgA, slots[1].Id))!.CompletedAt);
    }

    [Fact]
    public async Task Slots_created_for_a_run_failed_while_it_was_planned_end_in_error()
    {
        var (_, _, plan) = Planned(ResultSlots.ChunkSize + 5);
        var run = NewPendingRun(plan);
        await Runs.InsertRunAsync(run);

        // The failure lands after the first chunk of slots was stored.
        var failed = false;
        IEnumerable<TestResult> SlotsFailingMidway()
        {
            foreach (var (slot, index) in ResultSlots.Create(run, plan, T0, Deadline).Select((s, i) => (s, i)))
            {
                if (index == ResultSlots.ChunkSize && !failed)
                    failed = Runs.FailRunAsync(run.Id, new RunError(RunErrorCodes.TestNotFound, "gone"), T0.AddSeconds(1)).GetAwaiter().GetResult() is not null;
                yield return slot;
            }
        }

        Assert.Null(await Runs.QueuePlannedRunAsync(run.Id, SlotsFailingMidway(), T0.AddSeconds(2)));

        Assert.True(failed);
        var stored = await RunAsync(run);
        Assert.Equal(RunStatus.Error, stored.Status);
        Assert.Equal(new RunCounts(Error: plan.Tests.Count), stored.Counts);
        var slots = await AllSlotsAsync(run);
        Assert.NotEmpty(slots);
        Assert.All(slots, s => Assert.Equal(SlotStatus.Error, s.Status));
    }

    [Fact]
    public async Task A_terminal_or_unknown_run_cannot_be_failed()
    {
        var (run, slots) = await QueueRunAsync(1);
        await Runs.ApplySlotEventsAsync([Finished(slots[0])], T0.AddSeconds(1));
        await Runs.CompleteRunAsync(run.Id, T0.AddSeconds(2));

        Assert.Null(await Runs.FailRunAsync(run.Id, new RunError("x", "y"), T0.AddSeconds(3)));
        Assert.Null(await Runs.FailRunAsync(ResourceIds.New(ResourceIds.Run), new RunError("x", "y"), T0.AddSeconds(3)));
        Assert.Equal(RunStatus.Completed, (await RunAsync(run)).Status);
    }

    [Fact]
    public async Task Reconciling_recomputes_the_counts_from_the_slots()
    {
        var (run, slots) = await QueueRunAsync(9);
        await Runs.ApplySlotEventsAsync(
        [
            Finished(slots[0]), Finished(slots[1], Verdict.Failed), Finished(slots[2], Verdict.Blocked),
            Started(slots[3]), Finished(slots[4], null, SlotStatus.Error),
        ], T0.AddSeconds(2));
        var before = await RunAsync(run);

        var reconciled = await Runs.ReconcileCountsAsync(run.Id);

        Assert.NotNull(reconciled);
        var expected = new RunCounts(Queued: 4, Running: 1, Completed: 3, Error: 1, Passed: 1, Failed: 1, Blocked: 1);
        Assert.Equal(expected, reconciled.Counts);
        Assert.Equal(expected, before.Counts);
        Assert.Equal(CountsOf(await AllSlotsAsync(run)), (await RunAsync(run)).Counts);
        Assert.Null(await Runs.ReconcileCountsAsync(ResourceIds.New(ResourceIds.Run)));
    }

    [Fact]
    public async Task Active_slots_are_the_queued_and_running_ones()
    {
        var (run, slots) = await QueueRunAsync(4);
        await Runs.ApplySlotEventsAsync([Finished(slots[0]), Started(slots[1]), Finished(slots[2], null, SlotStatus.Error)], T0.AddSeconds(1));

        var active = await Runs.GetActiveSlotsAsync(run.Id);

        Assert.Equal(new[] { slots[1].Id, slots[3].Id }.Order(), active.Select(s => s.Id).Order());
        Assert.Equal(SlotStatus.Running, active.Single(s => s.Id == slots[1].Id).Status);
    }

    [Fact]
    public async Task Runs_needing_attention_are_stalled_active_runs_and_unpublished_terminal_runs()
    {
        var stalledBefore = T0.AddMinutes(10);

        var (stalledQueued, _) = await QueueRunAsync(1, at: T0);
        var (_, _) = await QueueRunAsync(1, at: T0.AddMinutes(20));                       // recent progress
        var (movedLater, movedSlots) = await QueueRunAsync(2, at: T0);
        await Runs.ApplySlotEventsAsync([Started(movedSlots[0], T0.AddMinutes(15))], T0.AddMinutes(15)); // progress after the threshold
        var (stalledRunning, runningSlots) = await QueueRunAsync(2, at: T0);
        await Runs.ApplySlotEventsAsync([Started(runningSlots[0], T0.AddMinutes(1))], T0.AddMinutes(1));
        var (_, _, plan) = Planned(1);
        var stalledPending = NewPendingRun(plan, at: T0);
        await Runs.InsertRunAsync(stalledPending);

        var (completedUnpublished, s1) = await QueueRunAsync(1, at: T0.AddMinutes(30));
        await Runs.ApplySlotEventsAsync([Finished(s1[0])], T0.AddMinutes(30));
        await Runs.CompleteRunAsync(completedUnpublished.Id, T0.AddMinutes(30));

        var (completedPublished, s2) = await QueueRunAsync(1, at: T0);
        await Runs.ApplySlotEventsAsync([Finished(s2[0])], T0.AddMinutes(1));
        await Runs.CompleteRunAsync(completedPublished.Id, T0.AddMinutes(1));
        await Runs.MarkCompletionPublishedAsync(completedPublished.Id);

        var (cancelledUnpublished, _) = await QueueRunAsync(1, at: T0.AddMinutes(40));
        await Runs.CancelRunAsync(cancelledUnpublished.Id, null, T0.AddMinutes(40));

        var failed = RunDocuments.Failed(ResourceIds.New(ResourceIds.Run, T0.AddMinutes(50)), OrgA, "wf_x", RunScopeSpec.WholeWorkflow,
            RunDocuments.CustomTrigger, new RunError(RunErrorCodes.WorkflowNotFound, "gone"), T0.AddMinutes(50));
        await Runs.InsertRunAsync(failed);

        var found = await Runs.FindRunsNeedingAttentionAsync(stalledBefore, 100);

        var expected = new[] { stalledQueued.Id, stalledRunning.Id, stalledPending.Id, completedUnpublished.Id, cancelledUnpublished.Id, failed.Id };
        Assert.Equal(expected.Order(), found.Select(r => r.Id).Order());
        Assert.DoesNotContain(found, r => r.Id == movedLater.Id || r.Id == completedPublished.Id);
        Assert.True((await RunAsync(completedPublished)).CompletionPublished);
    }

    [Fact]
    public async Task Marking_completion_published_takes_a_run_off_the_attention_list()
    {
        var (run, slots) = await QueueRunAsync(1, at: T0);
        await Runs.ApplySlotEventsAsync([Finished(slots[0])], T0);
        await Runs.CompleteRunAsync(run.Id, T0);
        Assert.Contains(await Runs.FindRunsNeedingAttentionAsync(T0.AddYears(-1), 10), r => r.Id == run.Id);

        await Runs.MarkCompletionPublishedAsync(run.Id);

        Assert.DoesNotContain(await Runs.FindRunsNeedingAttentionAsync(T0.AddYears(-1), 10), r => r.Id == run.Id);
        var stored = await RunAsync(run);
        Assert.True(stored.CompletionPublished);
        Assert.Equal(RunStatus.Completed, stored.Status);
    }

    [Fact]
    public async Task Marking_the_start_published_is_kept_and_read_back_by_later_slot_events()
    {
        var (run, slots) = await QueueRunAsync(2, at: T0);
        var started = Assert.Single(await Runs.ApplySlotEventsAsync([Started(slots[0])], T0));
        Assert.False(started.Run.StartPublished);

        await Runs.MarkStartPublishedAsync(run.Id);

        var later = Assert.Single(await Runs.ApplySlotEventsAsync([Finished(slots[1])], T0.AddSeconds(1)));
        Assert.True(later.Run.StartPublished);
        Assert.False(later.Run.CompletionPublished);
        Assert.True((await RunAsync(run)).StartPublished);
    }

    [Fact]
    public async Task The_latest_result_of_a_test_is_its_newest_completed_one()
    {
        var workflow = NewWorkflow();
        var test = NewTest(workflow);
        var plan = RunPlanner.Plan(workflow, [test], RunScopeSpec.WholeWorkflow);

        async Task<TestResult> RunOnceAsync(int minute, SlotStatus outcome, Verdict? verdict)
        {
            var run = NewPendingRun(plan, at: T0.AddMinutes(minute));
            await Runs.InsertRunAsync(run);
            var slot = ResultSlots.Create(run, plan, T0.AddMinutes(minute), Deadline).Single();
            await Runs.QueuePlannedRunAsync(run.Id, PlannedSlots.Of([slot]), T0.AddMinutes(minute));
            if (outcome != SlotStatus.Queued)
                await Runs.ApplySlotEventsAsync([Finished(slot, verdict, outcome, T0.AddMinutes(minute).AddSeconds(5))], T0.AddMinutes(minute));
            return slot;
        }

        Assert.Null(await Runs.FindLatestResultAsync(OrgA, test.Id, null));
        var passedOld = await RunOnceAsync(1, SlotStatus.Completed, Verdict.Passed);
        var failed = await RunOnceAsync(2, SlotStatus.Completed, Verdict.Failed);
        var passedNew = await RunOnceAsync(3, SlotStatus.Completed, Verdict.Passed);
        await RunOnceAsync(4, SlotStatus.Error, null);
        await RunOnceAsync(5, SlotStatus.Queued, null);

        Assert.Equal(passedNew.Id, (await Runs.FindLatestResultAsync(OrgA, test.Id, null))!.Id);
        Assert.Equal(passedNew.Id, (await Runs.FindLatestResultAsync(OrgA, test.Id, Verdict.Passed))!.Id);
        Assert.Equal(failed.Id, (await Runs.FindLatestResultAsync(OrgA, test.Id, Verdict.Failed))!.Id);
        Assert.Null(await Runs.FindLatestResultAsync(OrgA, test.Id, Verdict.Blocked));
        Assert.NotEqual(passedOld.Id, passedNew.Id);
    }
}
