using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using static Retab.Runs.Core.Tests.Domain.DomainBuilders;

namespace Retab.Runs.Core.Tests.Domain;

public class ResultSlotsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Fact]
    public void Each_planned_test_gets_one_queued_slot_with_its_snapshot()
    {
        var blockA = FunctionBlock("block_a", "function main(i){return 1}");
        var blockB = FunctionBlock("block_b", "function main(i){return 2}");
        var workflow = Workflow(blockA, blockB);
        WorkflowTest[] tests = [Test(workflow, blockA.Id, JsonValue.Create("x")), Test(workflow, blockB.Id, JsonValue.Create("y"))];
        var plan = RunPlanner.Plan(workflow, tests, RunScopeSpec.WholeWorkflow);
        var run = PendingRun(plan);

        var slots = ResultSlots.Create(run, plan, T0, Deadline).ToList();

        Assert.Equal(2, slots.Count);
        for (var i = 0; i < 2; i++)
        {
            var slot = slots[i];
            var block = workflow.Blocks[i];
            Assert.Equal(SlotStatus.Queued, slot.Status);
            Assert.Null(slot.Verdict);
            Assert.Equal(run.Id, slot.RunId);
            Assert.Equal(tests[i].Id, slot.TestId);
            Assert.Equal(Org, slot.OrganizationId);
            Assert.Equal(workflow.Id, slot.WorkflowId);
            Assert.Equal(block.Id, slot.BlockId);
            Assert.Equal("function", slot.BlockType);
            Assert.Equal(block.Config.ToJsonString(), slot.BlockConfig.ToJsonString());
            Assert.Equal(tests[i].HandleInputs.ToJsonString(), slot.HandleInputs.ToJsonString());
            Assert.Equal(T0 + Deadline, slot.Deadline);
            Assert.Equal(1, slot.Attempt);
            Assert.Equal(tests[i].HandleInputsFingerprint, slot.Fingerprints.HandleInputsFingerprint);
            Assert.Equal(workflow.DraftFingerprint, slot.Fingerprints.WorkflowDraftFingerprint);
            Assert.Equal(block.ConfigFingerprint, slot.Fingerprints.BlockConfigFingerprint);
            Assert.StartsWith("wfnodetestrun_", slot.Id);
        }
        Assert.Equal(RunCounts.AllQueued(2), RunCounts.FromSlots(slots.Select(s => (s.Status, s.Verdict))));
    }

    [Fact]
    public void A_test_whose_block_is_gone_completes_blocked_with_block_not_found()
    {
        var blockA = FunctionBlock("block_a");
        var blockB = FunctionBlock("block_b");
        var original = Workflow(blockA, blockB);
        WorkflowTest[] tests = [Test(original, blockA.Id), Test(original, blockB.Id)];
        var draft = original.WithDraft([blockA], T0.AddMinutes(1));
        var plan = RunPlanner.Plan(draft, tests, RunScopeSpec.WholeWorkflow);

        var slots = ResultSlots.Create(PendingRun(plan), plan, T0, Deadline).ToList();

        var gone = slots.Single(s => s.BlockId == blockB.Id);
        Assert.Equal(SlotStatus.Completed, gone.Status);
        Assert.Equal(Verdict.Blocked, gone.Verdict);
        Assert.Equal(T0, gone.StartedAt);
        Assert.Equal(T0, gone.CompletedAt);
        Assert.NotNull(gone.AssertionResult);
        Assert.Equal(AssertionOutcome.Blocked, gone.AssertionResult.Outcome);
        Assert.Equal("block_not_found", gone.AssertionResult.Failure!.Code);
        Assert.Contains(blockB.Id, gone.AssertionResult.Failure.Message);
        Assert.Equal(tests[1].Assertion.Id, gone.AssertionResult.AssertionId);
        Assert.Equal("exists", gone.AssertionResult.ConditionKind);

        var present = slots.Single(s => s.BlockId == blockA.Id);
        Assert.Equal(SlotStatus.Queued, present.Status);

        Assert.Equal(new RunCounts(Queued: 1, Completed: 1, Blocked: 1), RunCounts.FromSlots(slots.Select(s => (s.Status, s.Verdict))));
    }

    [Fact]
    public void Slot_ids_are_deterministic_for_the_same_run_and_test()
    {
        var block = FunctionBlock("block_a");
        var workflow = Workflow(block);
        WorkflowTest[] tests = [Test(workflow, block.Id), Test(workflow, block.Id)];
        var plan = RunPlanner.Plan(workflow, tests, RunScopeSpec.WholeWorkflow);
        var run = PendingRun(plan);

        var first = ResultSlots.Create(run, plan, T0, Deadline).Select(s => s.Id).ToList();
        var again = ResultSlots.Create(run, plan, T0.AddMinutes(5), TimeSpan.FromSeconds(1)).Select(s => s.Id).ToList();

        Assert.Equal(first, again);
        Assert.Equal(2, first.Distinct().Count());
        Assert.All(first, id => Assert.True(ResourceIds.HasPrefix(id, ResourceIds.Result)));
    }

    [Fact]
    public void Another_run_of_the_same_test_gets_another_slot_id()
    {
        var block = FunctionBlock("block_a");
        var workflow = Workflow(block);
        var plan = RunPlanner.Plan(workflow, [Test(workflow, block.Id)], RunScopeSpec.WholeWorkflow);

        var one = ResultSlots.Create(PendingRun(plan), plan, T0, Deadline).Single().Id;
        var two = ResultSlots.Create(PendingRun(plan), plan, T0, Deadline).Single().Id;

        Assert.NotEqual(one, two);
    }

    [Fact]
    public void A_slot_snapshot_does_not_change_when_the_test_or_block_is_edited_afterwards()
    {
        var block = FunctionBlock("block_a");
        var workflow = Workflow(block);
        var test = Test(workflow, block.Id, new JsonObject { ["v"] = 1 });
        var plan = RunPlanner.Plan(workflow, [test], RunScopeSpec.WholeWorkflow);
        var slot = ResultSlots.Create(PendingRun(plan), plan, T0, Deadline).Single();
        var inputsBefore = slot.HandleInputs.ToJsonString();
        var configBefore = slot.BlockConfig.ToJsonString();

        test.HandleInputs["input-json-0"]!["data"]!["v"] = 2;
        block.Config["code"] = "changed";

        Assert.Equal(inputsBefore, slot.HandleInputs.ToJsonString());
        Assert.Equal(configBefore, slot.BlockConfig.ToJsonString());
    }
}
