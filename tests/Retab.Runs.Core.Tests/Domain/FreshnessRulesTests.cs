using System.Text.Json.Nodes;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Freshness;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Workflows;
using static Retab.Runs.Core.Tests.Domain.DomainBuilders;

namespace Retab.Runs.Core.Tests.Domain;

public class FreshnessRulesTests
{
    private static readonly Block BlockA = FunctionBlock("block_a", "function main(i){return i}");
    private static readonly Block BlockB = FunctionBlock("block_b", "function main(i){return 0}");

    private static (Workflow Workflow, WorkflowTest Test, TestResult Baseline) Baseline()
    {
        var workflow = Workflow(BlockA, BlockB);
        var test = Test(workflow, BlockA.Id, JsonValue.Create(5));
        var plan = RunPlanner.Plan(workflow, [test], RunScopeSpec.WholeWorkflow);
        var slot = ResultSlots.Create(PendingRun(plan), plan, T0, TimeSpan.FromMinutes(1)).Single();
        var completed = SlotTransitions.Apply(slot, Finished(slot), runIsActive: true)!.Slot;
        return (workflow, test, completed);
    }

    private static Workflow WithConfig(Workflow workflow, string blockId, string code) =>
        workflow.WithDraft(workflow.Blocks.Select(b => b.Id == blockId ? b with { Config = new JsonObject { ["code"] = code } } : b).ToList(), T0.AddMinutes(1));

    [Fact]
    public void A_test_without_a_finished_result_has_no_baseline()
    {
        var (workflow, test, _) = Baseline();
        var report = FreshnessRules.ForTest(test, workflow, null);

        Assert.Equal(FreshnessStatus.Unknown, report.Status);
        Assert.Equal([FreshnessRules.NoBaseline], report.Reasons);
        Assert.Null(report.BaselineRunId);
        Assert.Equal(BlockA.ConfigFingerprint, report.ValidityFingerprint);
        Assert.Equal(test.HandleInputsFingerprint, report.InputFingerprint);
    }

    [Fact]
    public void A_test_is_fresh_while_its_block_config_and_inputs_are_unchanged()
    {
        var (workflow, test, baseline) = Baseline();
        var report = FreshnessRules.ForTest(test, workflow, baseline);

        Assert.Equal(FreshnessStatus.Fresh, report.Status);
        Assert.Empty(report.Reasons);
        Assert.Equal(baseline.RunId, report.BaselineRunId);
    }

    [Fact]
    public void Changing_another_block_keeps_a_test_fresh()
    {
        var (workflow, test, baseline) = Baseline();
        var report = FreshnessRules.ForTest(test, WithConfig(workflow, BlockB.Id, "function main(){return 1}"), baseline);
        Assert.Equal(FreshnessStatus.Fresh, report.Status);
    }

    [Fact]
    public void Changing_the_tested_block_config_makes_a_test_stale_validity_changed()
    {
        var (workflow, test, baseline) = Baseline();
        var report = FreshnessRules.ForTest(test, WithConfig(workflow, BlockA.Id, "function main(){return 2}"), baseline);

        Assert.Equal(FreshnessStatus.Stale, report.Status);
        Assert.Equal([FreshnessRules.ValidityChanged], report.Reasons);
        Assert.Equal("validity_changed", report.Reasons[0]);
    }

    [Fact]
    public void Removing_the_tested_block_makes_a_test_stale_validity_changed()
    {
        var (workflow, test, baseline) = Baseline();
        var report = FreshnessRules.ForTest(test, workflow.WithDraft([BlockB], T0.AddMinutes(1)), baseline);
        Assert.Equal(FreshnessStatus.Stale, report.Status);
        Assert.Contains("validity_changed", report.Reasons);
    }

    [Fact]
    public void A_deleted_workflow_makes_a_test_stale_validity_changed()
    {
        var (_, test, baseline) = Baseline();
        var report = FreshnessRules.ForTest(test, null, baseline);
        Assert.Equal(FreshnessStatus.Stale, report.Status);
        Assert.Contains("validity_changed", report.Reasons);
    }

    [Fact]
    public void Changing_the_test_inputs_makes_a_test_stale_inputs_changed()
    {
        var (workflow, test, baseline) = Baseline();
        var edited = test with { HandleInputs = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = 6 } } };
        var report = FreshnessRules.ForTest(edited, workflow, baseline);

        Assert.Equal(FreshnessStatus.Stale, report.Status);
        Assert.Equal(["inputs_changed"], report.Reasons);
    }

    [Fact]
    public void Inputs_with_the_same_content_in_another_key_order_stay_fresh()
    {
        var (workflow, test, baseline) = Baseline();
        var reordered = test with
        {
            HandleInputs = JsonNode.Parse("""{"input-json-0":{"data":5,"type":"json"}}""")!.AsObject(),
        };
        Assert.Equal(FreshnessStatus.Fresh, FreshnessRules.ForTest(reordered, workflow, baseline).Status);
    }

    [Fact]
    public void A_result_from_another_engine_version_is_stale_engine_changed()
    {
        var (workflow, test, baseline) = Baseline();
        var report = FreshnessRules.ForTest(test, workflow, baseline with { EngineVersion = "retab-runs-engine/0" });

        Assert.Equal(FreshnessStatus.Stale, report.Status);
        Assert.Equal(["engine_changed"], report.Reasons);
    }

    [Fact]
    public void Every_changed_source_is_reported()
    {
        var (workflow, test, baseline) = Baseline();
        var edited = test with { HandleInputs = new JsonObject() };
        var report = FreshnessRules.ForTest(edited, WithConfig(workflow, BlockA.Id, "x"), baseline with { EngineVersion = "old" });

        Assert.Equal(FreshnessStatus.Stale, report.Status);
        Assert.Equal(["validity_changed", "inputs_changed", "engine_changed"], report.Reasons);
    }

    private static (TestRun Run, Workflow Workflow, WorkflowTest[] Tests) RunFixture()
    {
        var workflow = Workflow(BlockA, BlockB);
        WorkflowTest[] tests = [Test(workflow, BlockA.Id, JsonValue.Create(1)), Test(workflow, BlockB.Id, JsonValue.Create(2))];
        var run = PendingRun(RunPlanner.Plan(workflow, tests, RunScopeSpec.WholeWorkflow));
        return (run, workflow, tests);
    }

    [Fact]
    public void A_run_is_fresh_while_the_draft_and_the_inputs_are_unchanged()
    {
        var (run, workflow, tests) = RunFixture();
        var report = FreshnessRules.ForRun(run, RunPlanner.Plan(workflow, tests, run.Scope));

        Assert.Equal(FreshnessStatus.Fresh, report.Status);
        Assert.Empty(report.Reasons);
        Assert.Equal(run.Id, report.BaselineRunId);
        Assert.Equal(run.DraftFingerprint, report.ValidityFingerprint);
        Assert.Equal(run.InputsFingerprint, report.InputFingerprint);
    }

    [Fact]
    public void A_draft_change_makes_a_run_stale_validity_changed()
    {
        var (run, workflow, tests) = RunFixture();
        var report = FreshnessRules.ForRun(run, RunPlanner.Plan(WithConfig(workflow, BlockB.Id, "y"), tests, run.Scope));

        Assert.Equal(FreshnessStatus.Stale, report.Status);
        Assert.Equal(["validity_changed"], report.Reasons);
    }

    [Fact]
    public void An_input_change_makes_a_run_stale_inputs_changed()
    {
        var (run, workflow, tests) = RunFixture();
        tests[1] = tests[1] with { HandleInputs = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = 3 } } };
        var report = FreshnessRules.ForRun(run, RunPlanner.Plan(workflow, tests, run.Scope));

        Assert.Equal(FreshnessStatus.Stale, report.Status);
        Assert.Equal(["inputs_changed"], report.Reasons);
    }

    [Fact]
    public void A_deleted_workflow_makes_a_run_stale_for_both_reasons()
    {
        var (run, _, _) = RunFixture();
        var report = FreshnessRules.ForRun(run, null);
        Assert.Equal(FreshnessStatus.Stale, report.Status);
        Assert.Equal(["validity_changed", "inputs_changed"], report.Reasons);
    }

    [Fact]
    public void A_scope_that_no_longer_plans_makes_a_run_stale_inputs_changed()
    {
        var (run, workflow, _) = RunFixture();
        var report = FreshnessRules.ForRun(run, RunPlanner.Plan(workflow, [], run.Scope));
        Assert.Equal(FreshnessStatus.Stale, report.Status);
        Assert.Contains("inputs_changed", report.Reasons);
    }
}
