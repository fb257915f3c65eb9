using Retab.Runs.Core.Runs;

namespace Retab.Runs.Storage.Tests;

// A run's previous run (the latest completed run of the same workflow and scope before it) and the changes recorded on it.
public abstract partial class RunStoreContract
{
    [Fact]
    public async Task The_previous_run_is_the_latest_completed_run_of_the_same_workflow_and_scope_created_before_it()
    {
        var (workflow, tests, plan) = Planned(2, OrgA, T0);
        var (_, _, otherPlan) = Planned(1, OrgA, T0);
        var block = new RunScopeSpec(RunScopeType.Block, BlockId: "block_a");
        var rerun = new RunScopeSpec(RunScopeType.Rerun, RunId: "wftestrun_earlier", Only: RerunOnly.Failed);
        var runs = new Dictionary<string, TestRun>
        {
            ["old"] = NewPendingRun(plan, at: T0.AddSeconds(1)) with { Status = RunStatus.Completed },
            ["latest"] = NewPendingRun(plan, at: T0.AddSeconds(2)) with { Status = RunStatus.Completed },
            ["cancelled"] = NewPendingRun(plan, at: T0.AddSeconds(3)) with { Status = RunStatus.Cancelled },
            ["block"] = NewPendingRun(plan, at: T0.AddSeconds(4), scope: block) with { Status = RunStatus.Completed },
            ["rerun"] = NewPendingRun(plan, at: T0.AddSeconds(4), scope: rerun) with { Status = RunStatus.Completed },
            ["other_workflow"] = NewPendingRun(otherPlan, at: T0.AddSeconds(4)) with { Status = RunStatus.Completed },
            ["other_org"] = NewPendingRun(plan, OrgB, T0.AddSeconds(4)) with { Status = RunStatus.Completed },
            ["this"] = NewPendingRun(plan, at: T0.AddSeconds(5)),
            ["later"] = NewPendingRun(plan, at: T0.AddSeconds(6)) with { Status = RunStatus.Completed },
            ["later_block"] = NewPendingRun(plan, at: T0.AddSeconds(6), scope: block),
            ["later_rerun"] = NewPendingRun(plan, at: T0.AddSeconds(6), scope: rerun),
        };
        foreach (var run in runs.Values)
            await Runs.InsertRunAsync(run);

        Assert.Equal(runs["latest"].Id, (await Runs.FindPreviousCompletedRunAsync(runs["this"]))?.Id);
        Assert.Equal(runs["block"].Id, (await Runs.FindPreviousCompletedRunAsync(runs["later_block"]))?.Id);
        Assert.Equal(runs["rerun"].Id, (await Runs.FindPreviousCompletedRunAsync(runs["later_rerun"]))?.Id);
        Assert.Null(await Runs.FindPreviousCompletedRunAsync(runs["old"]));
        Assert.Equal(runs["rerun"].RerunOf, (await RunAsync(runs["rerun"])).RerunOf);
        _ = (workflow, tests);
    }

    [Fact]
    public async Task Changes_are_recorded_on_a_run_ending_in_completed_and_read_back_but_not_on_a_cancelled_run()
    {
        var (_, _, plan) = Planned(1, OrgA, T0);
        var completed = NewPendingRun(plan, at: T0.AddSeconds(1)) with { Status = RunStatus.Completed };
        var cancelled = NewPendingRun(plan, at: T0.AddSeconds(2)) with { Status = RunStatus.Cancelled };
        await Runs.InsertRunAsync(completed);
        await Runs.InsertRunAsync(cancelled);

        var recorded = await Runs.RecordChangesAsync(completed.Id, "wftestrun_baseline", regressions: 3, fixes: 2);
        Assert.Equal(("wftestrun_baseline", 3, 2), (recorded?.BaselineRunId, recorded?.Regressions, recorded?.Fixes));
        await ReopenAsync();
        var read = await RunAsync(completed);
        Assert.Equal(("wftestrun_baseline", 3, 2), (read.BaselineRunId, read.Regressions, read.Fixes));

        Assert.Null(await Runs.RecordChangesAsync(cancelled.Id, "wftestrun_baseline", 1, 1));
        var untouched = await RunAsync(cancelled);
        Assert.Equal((null, null, null), (untouched.BaselineRunId, untouched.Regressions, untouched.Fixes));
    }
}
