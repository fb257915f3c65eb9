using System.Text.Json.Nodes;
using Retab.Runs.Core.Flakiness;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Storage.Tests;

/// <summary>The flaky window: a test's latest completed verdicts under one block config and one set of inputs.</summary>
public abstract partial class RunStoreContract
{
    [Fact]
    public async Task The_recent_verdicts_of_a_test_are_its_newest_completed_results_under_the_key_newest_first()
    {
        var workflow = NewWorkflow();
        var test = NewTest(workflow);
        var finished = new List<TestResult>();
        foreach (var (verdict, minute) in new[] { (Verdict.Passed, 1), (Verdict.Failed, 2), (Verdict.Blocked, 3), (Verdict.Failed, 4), (Verdict.Passed, 5) })
            finished.Add(await RunOnceAsync(workflow, test, T0.AddMinutes(minute), verdict));

        var recent = await Runs.ListRecentVerdictsAsync(OrgA, test.Id, KeyOf(workflow, test), 3);

        Assert.Equal(
            [(finished[4].Id, Verdict.Passed, T0.AddMinutes(5).AddSeconds(2)), (finished[3].Id, Verdict.Failed, T0.AddMinutes(4).AddSeconds(2)), (finished[2].Id, Verdict.Blocked, T0.AddMinutes(3).AddSeconds(2))],
            recent.Select(s => (s.ResultId, s.Verdict, s.CompletedAt)));
        Assert.Equal(5, (await Runs.ListRecentVerdictsAsync(OrgA, test.Id, KeyOf(workflow, test), 10)).Count);
    }

    [Fact]
    public async Task Results_under_another_config_or_other_inputs_and_results_that_did_not_complete_are_not_in_the_window()
    {
        var configA = NewWorkflow();
        var configB = configA.WithDraft([configA.Blocks[0] with { Config = new JsonObject { ["code"] = "function main(){ return 'b'; }" } }, configA.Blocks[1]], T0);
        var test = NewTest(configA);
        var otherInputs = test with { HandleInputs = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = 2 } } };

        var underA = await RunOnceAsync(configA, test, T0.AddMinutes(1), Verdict.Passed);
        await RunOnceAsync(configB, test, T0.AddMinutes(2), Verdict.Failed);
        await RunOnceAsync(configA, otherInputs, T0.AddMinutes(3), Verdict.Failed);
        await RunOnceAsync(configA, test, T0.AddMinutes(4), outcome: SlotStatus.Error);
        await RunOnceAsync(configA, test, T0.AddMinutes(5), outcome: null);
        var againUnderA = await RunOnceAsync(configA, test, T0.AddMinutes(6), Verdict.Failed);

        var window = await Runs.ListRecentVerdictsAsync(OrgA, test.Id, KeyOf(configA, test), 10);
        Assert.Equal([againUnderA.Id, underA.Id], window.Select(s => s.ResultId));
        Assert.Single(await Runs.ListRecentVerdictsAsync(OrgA, test.Id, KeyOf(configB, test), 10));
        Assert.Single(await Runs.ListRecentVerdictsAsync(OrgA, test.Id, KeyOf(configA, otherInputs), 10));
        Assert.Empty(await Runs.ListRecentVerdictsAsync(OrgA, "wfnodetest_unknown", KeyOf(configA, test), 10));
    }

    [Fact]
    public async Task A_config_changed_and_changed_back_finds_the_results_of_both_times_under_it()
    {
        var configA = NewWorkflow();
        var configB = configA.WithDraft([configA.Blocks[0] with { Config = new JsonObject { ["code"] = "function main(){ return 'b'; }" } }, configA.Blocks[1]], T0);
        var backToA = configB.WithDraft(configA.Blocks, T0);
        var test = NewTest(configA);

        await RunOnceAsync(configA, test, T0.AddMinutes(1), Verdict.Passed);
        await RunOnceAsync(configB, test, T0.AddMinutes(2), Verdict.Passed);
        await RunOnceAsync(backToA, test, T0.AddMinutes(3), Verdict.Failed);

        var report = FlakyRule.Evaluate(await Runs.ListRecentVerdictsAsync(OrgA, test.Id, KeyOf(backToA, test), 10), 10);
        Assert.Equal(new FlakyReport(true, 1, 2), report);
    }

    [Fact]
    public async Task Another_organizations_results_are_not_in_the_window()
    {
        var workflow = NewWorkflow(OrgB);
        var test = NewTest(workflow);
        await RunOnceAsync(workflow, test, T0.AddMinutes(1), Verdict.Passed, org: OrgB);

        Assert.Empty(await Runs.ListRecentVerdictsAsync(OrgA, test.Id, KeyOf(workflow, test), 10));
        Assert.Single(await Runs.ListRecentVerdictsAsync(OrgB, test.Id, KeyOf(workflow, test), 10));
    }

    private static FlakyWindowKey KeyOf(Workflow workflow, WorkflowTest test) => FlakyWindowKey.Current(test, workflow)!;

    /// <summary>
    /// A single-test run of <paramref name="test"/> on <paramref name="workflow"/> created at <paramref name="at"/>, its
    /// result ending two seconds later as <paramref name="outcome"/> (null: it never ends).
    /// </summary>
    private async Task<TestResult> RunOnceAsync(
        Workflow workflow, WorkflowTest test, DateTimeOffset at, Verdict verdict = Verdict.Passed, SlotStatus? outcome = SlotStatus.Completed, string org = OrgA)
    {
        var plan = RunPlanner.Plan(workflow, [test], RunScopeSpec.WholeWorkflow);
        var run = NewPendingRun(plan, org, at);
        await Runs.InsertRunAsync(run);
        var slot = ResultSlots.Create(run, plan, at, Deadline).Single();
        Assert.NotNull(await Runs.QueuePlannedRunAsync(run.Id, PlannedSlots.Of([slot]), at));
        await Runs.ApplySlotEventsAsync([Started(slot, at.AddSeconds(1))], at.AddSeconds(1));
        if (outcome is { } ending)
        {
            await Runs.ApplySlotEventsAsync([Finished(slot, verdict, ending, at.AddSeconds(2))], at.AddSeconds(2));
            Assert.NotNull(await Runs.CompleteRunAsync(run.Id, at.AddSeconds(2)));
        }
        return slot;
    }
}
