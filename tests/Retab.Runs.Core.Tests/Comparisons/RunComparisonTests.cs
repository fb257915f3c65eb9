using Retab.Runs.Core.Comparisons;
using Retab.Runs.Core.Runs;
using static Retab.Runs.Core.Tests.Domain.DomainBuilders;

namespace Retab.Runs.Core.Tests.Comparisons;

public class RunComparisonTests
{
    private static Results.TestResult Result(SlotStatus status, Verdict? verdict = null) => Slot(status) with { Verdict = verdict };

    public static TheoryData<SlotStatus?, Verdict?, SlotStatus?, Verdict?, TestChange> Rows => new()
    {
        // before                                 after                                  change
        { SlotStatus.Completed, Verdict.Failed, SlotStatus.Completed, Verdict.Passed, TestChange.Fixed },
        { SlotStatus.Completed, Verdict.Blocked, SlotStatus.Completed, Verdict.Passed, TestChange.Fixed },
        { SlotStatus.Error, null, SlotStatus.Completed, Verdict.Passed, TestChange.Fixed },
        { SlotStatus.Cancelled, null, SlotStatus.Completed, Verdict.Passed, TestChange.Fixed },
        { SlotStatus.Completed, Verdict.Passed, SlotStatus.Completed, Verdict.Failed, TestChange.Regressed },
        { SlotStatus.Completed, Verdict.Passed, SlotStatus.Completed, Verdict.Blocked, TestChange.Regressed },
        { SlotStatus.Completed, Verdict.Passed, SlotStatus.Error, null, TestChange.Regressed },
        { SlotStatus.Completed, Verdict.Passed, SlotStatus.Cancelled, null, TestChange.Regressed },
        { SlotStatus.Completed, Verdict.Failed, SlotStatus.Error, null, TestChange.StillFailing },
        { SlotStatus.Error, null, SlotStatus.Completed, Verdict.Blocked, TestChange.StillFailing },
        { SlotStatus.Completed, Verdict.Passed, SlotStatus.Completed, Verdict.Passed, TestChange.StillPassing },
        { null, null, SlotStatus.Completed, Verdict.Failed, TestChange.Added },
        { SlotStatus.Completed, Verdict.Passed, null, null, TestChange.Removed },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_test_is_classified_by_whether_it_passed_before_and_after(SlotStatus? before, Verdict? beforeVerdict, SlotStatus? after, Verdict? afterVerdict, TestChange expected)
    {
        var b = before is { } bs ? Result(bs, beforeVerdict) : null;
        var a = after is { } s ? Result(s, afterVerdict) : null;
        Assert.Equal(expected, RunComparison.Classify(b, a));
    }

    [Fact]
    public void A_row_needs_at_least_one_result() =>
        Assert.Throws<ArgumentException>(() => RunComparison.Classify(null, null));

    [Fact]
    public void The_summary_counts_each_change()
    {
        var summary = new[] { TestChange.Fixed, TestChange.Regressed, TestChange.Regressed, TestChange.Added, TestChange.Removed, TestChange.StillFailing }
            .Aggregate(new ComparisonSummary(), (s, c) => s.Plus(c));
        Assert.Equal(new ComparisonSummary(Fixed: 1, Regressed: 2, StillFailing: 1, StillPassing: 0, Added: 1, Removed: 1), summary);
    }

    [Theory]
    [InlineData("fixed", TestChange.Fixed)]
    [InlineData("still_failing", TestChange.StillFailing)]
    [InlineData("removed", TestChange.Removed)]
    public void Change_names_are_snake_case(string name, TestChange change)
    {
        Assert.Equal(change, TestChanges.Parse(name));
        Assert.Equal(name, TestChanges.NameOf(change));
    }

    public static TheoryData<RerunOnly, SlotStatus, Verdict?, bool> Selections => new()
    {
        { RerunOnly.Failed, SlotStatus.Completed, Verdict.Failed, true },
        { RerunOnly.Failed, SlotStatus.Completed, Verdict.Blocked, false },
        { RerunOnly.Failed, SlotStatus.Error, null, false },
        { RerunOnly.Error, SlotStatus.Error, null, true },
        { RerunOnly.Error, SlotStatus.Completed, Verdict.Failed, false },
        { RerunOnly.NotPassed, SlotStatus.Completed, Verdict.Failed, true },
        { RerunOnly.NotPassed, SlotStatus.Completed, Verdict.Blocked, true },
        { RerunOnly.NotPassed, SlotStatus.Error, null, true },
        { RerunOnly.NotPassed, SlotStatus.Cancelled, null, true },
        { RerunOnly.NotPassed, SlotStatus.Completed, Verdict.Passed, false },
        { RerunOnly.All, SlotStatus.Completed, Verdict.Passed, true },
        { RerunOnly.All, SlotStatus.Cancelled, null, true },
    };

    [Theory]
    [MemberData(nameof(Selections))]
    public void A_rerun_mode_selects_the_results_it_names(RerunOnly only, SlotStatus status, Verdict? verdict, bool selected) =>
        Assert.Equal(selected, RerunSelection.Selects(only, status, verdict));

    [Fact]
    public void A_rerun_plans_only_selected_tests_that_still_exist_and_refuses_an_empty_selection()
    {
        var block = FunctionBlock("block_a");
        var workflow = Workflow(block);
        var kept = Test(workflow, block.Id);
        var other = Test(workflow, block.Id, at: T0.AddSeconds(1));
        var scope = new RunScopeSpec(RunScopeType.Rerun, RunId: "wftestrun_1", Only: RerunOnly.Failed);

        var plan = RunPlanner.Plan(workflow, [kept, other], scope, rerunSelection: new HashSet<string> { kept.Id, "wfnodetest_deleted" });
        Assert.Equal([kept.Id], plan.Tests.Select(t => t.Id));
        Assert.Null(plan.TargetBlockId);

        var empty = RunPlanner.Plan(workflow, [kept, other], scope, rerunSelection: new HashSet<string> { "wfnodetest_deleted" });
        Assert.Equal(RunErrorCodes.NoTestsInScope, empty.Error?.Code);
        Assert.False(RunPlanner.Plan(workflow, [kept], scope).IsValid);
    }
}
