using System.Text.Json.Nodes;
using Retab.Runs.Core.Workflows;
using Retab.Runs.Core.Runs;
using static Retab.Runs.Core.Tests.Domain.DomainBuilders;

namespace Retab.Runs.Core.Tests.Domain;

public class RunPlannerTests
{
    private static readonly Block BlockA = FunctionBlock("block_a");
    private static readonly Block BlockB = FunctionBlock("block_b");
    private static readonly Block BlockC = FunctionBlock("block_c");

    private static (Workflow Workflow, WorkflowTest[] Tests) Fixture()
    {
        var workflow = Workflow(BlockA, BlockB, BlockC);
        WorkflowTest[] tests =
        [
            Test(workflow, BlockA.Id, JsonValue.Create(1)),
            Test(workflow, BlockB.Id, JsonValue.Create(2)),
            Test(workflow, BlockA.Id, JsonValue.Create(3)),
        ];
        return (workflow, tests);
    }

    [Fact]
    public void Workflow_scope_selects_every_test_and_no_target_block()
    {
        var (workflow, tests) = Fixture();
        var plan = RunPlanner.Plan(workflow, tests, RunScopeSpec.WholeWorkflow);

        Assert.True(plan.IsValid);
        Assert.Null(plan.Error);
        Assert.Equal(tests.Select(t => t.Id), plan.Tests.Select(t => t.Id));
        Assert.Null(plan.TargetBlockId);
        Assert.Same(workflow, plan.Workflow);
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(2, false)]
    public void A_scope_over_the_tests_per_run_limit_is_refused_whole(int maxTests, bool valid)
    {
        var (workflow, tests) = Fixture();
        var plan = RunPlanner.Plan(workflow, tests, RunScopeSpec.WholeWorkflow, maxTests);

        Assert.Equal(valid, plan.IsValid);
        if (!valid)
        {
            Assert.Equal(RunErrorCodes.TooManyTests, plan.Error!.Code);
            Assert.Contains("Limits:MaxTestsPerRun", plan.Error.Message);
            Assert.Empty(plan.Tests);
        }
        // A block scope under the limit is still fine when the whole workflow is not.
        Assert.True(RunPlanner.Plan(workflow, tests, new RunScopeSpec(RunScopeType.Block, BlockId: BlockB.Id), maxTests).IsValid);
    }

    [Fact]
    public void Block_scope_selects_only_the_tests_of_that_block()
    {
        var (workflow, tests) = Fixture();
        var plan = RunPlanner.Plan(workflow, tests, new RunScopeSpec(RunScopeType.Block, BlockId: BlockA.Id));

        Assert.True(plan.IsValid);
        Assert.Equal([tests[0].Id, tests[2].Id], plan.Tests.Select(t => t.Id));
        Assert.Equal(BlockA.Id, plan.TargetBlockId);
    }

    [Fact]
    public void Single_scope_selects_that_test_and_targets_its_block()
    {
        var (workflow, tests) = Fixture();
        var plan = RunPlanner.Plan(workflow, tests, new RunScopeSpec(RunScopeType.Single, TestId: tests[1].Id));

        Assert.True(plan.IsValid);
        Assert.Equal([tests[1].Id], plan.Tests.Select(t => t.Id));
        Assert.Equal(BlockB.Id, plan.TargetBlockId);
    }

    [Fact]
    public void Single_scope_with_an_unknown_test_is_test_not_found()
    {
        var (workflow, tests) = Fixture();
        var plan = RunPlanner.Plan(workflow, tests, new RunScopeSpec(RunScopeType.Single, TestId: "wfnodetest_missing"));

        Assert.False(plan.IsValid);
        Assert.Equal(RunErrorCodes.TestNotFound, plan.Error!.Code);
        Assert.Equal("test_not_found", plan.Error.Code);
        Assert.Contains("wfnodetest_missing", plan.Error.Message);
        Assert.Empty(plan.Tests);
    }

    [Fact]
    public void Block_scope_with_a_block_not_in_the_draft_is_block_not_found()
    {
        var (workflow, tests) = Fixture();
        var plan = RunPlanner.Plan(workflow, tests, new RunScopeSpec(RunScopeType.Block, BlockId: "block_gone"));

        Assert.False(plan.IsValid);
        Assert.Equal("block_not_found", plan.Error!.Code);
        Assert.Equal("block_gone", plan.Error.BlockId);
        Assert.Empty(plan.Tests);
    }

    [Fact]
    public void Block_scope_with_a_block_that_has_no_tests_is_no_tests_in_scope()
    {
        var (workflow, tests) = Fixture();
        var plan = RunPlanner.Plan(workflow, tests, new RunScopeSpec(RunScopeType.Block, BlockId: BlockC.Id));

        Assert.False(plan.IsValid);
        Assert.Equal("no_tests_in_scope", plan.Error!.Code);
        Assert.Equal(BlockC.Id, plan.Error.BlockId);
    }

    [Fact]
    public void Workflow_scope_without_tests_is_no_tests_in_scope()
    {
        var (workflow, _) = Fixture();
        var plan = RunPlanner.Plan(workflow, [], RunScopeSpec.WholeWorkflow);

        Assert.False(plan.IsValid);
        Assert.Equal("no_tests_in_scope", plan.Error!.Code);
    }

    [Fact]
    public void Tests_of_a_block_removed_from_the_draft_are_still_selected_by_a_workflow_run()
    {
        var (workflow, tests) = Fixture();
        var shrunk = workflow.WithDraft([BlockB, BlockC], T0.AddMinutes(1));
        var plan = RunPlanner.Plan(shrunk, tests, RunScopeSpec.WholeWorkflow);

        Assert.True(plan.IsValid);
        Assert.Equal(3, plan.Tests.Count);
    }

    [Fact]
    public void Inputs_fingerprint_ignores_test_order_but_follows_test_inputs()
    {
        var (workflow, tests) = Fixture();
        var forward = RunPlanner.Plan(workflow, tests, RunScopeSpec.WholeWorkflow).InputsFingerprint;
        var backward = RunPlanner.Plan(workflow, tests.Reverse().ToArray(), RunScopeSpec.WholeWorkflow).InputsFingerprint;
        Assert.Equal(forward, backward);

        var edited = tests.Select((t, i) => i == 1 ? t with { HandleInputs = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = 99 } } } : t).ToArray();
        Assert.NotEqual(forward, RunPlanner.Plan(workflow, edited, RunScopeSpec.WholeWorkflow).InputsFingerprint);
    }

    [Fact]
    public void A_pending_run_document_queues_every_planned_test()
    {
        var (workflow, tests) = Fixture();
        var plan = RunPlanner.Plan(workflow, tests, new RunScopeSpec(RunScopeType.Block, BlockId: BlockA.Id));
        var run = RunDocuments.Pending("wftestrun_x", Org, plan, new RunScopeSpec(RunScopeType.Block, BlockId: BlockA.Id), RunDocuments.ApiTrigger, T0);

        Assert.Equal(RunStatus.Pending, run.Status);
        Assert.Equal(2, run.TotalTests);
        Assert.Equal(RunCounts.AllQueued(2), run.Counts);
        Assert.Equal(BlockA.Id, run.TargetBlockId);
        Assert.Null(run.TestId);
        Assert.Equal(workflow.DraftFingerprint, run.DraftFingerprint);
        Assert.Equal(workflow.VersionId, run.WorkflowVersionId);
    }
}
