using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Tests.Domain;

public class RunEndingTests
{
    // Written out independently of RunEnding: how each allowed ending treats the run's slots and counts.
    // (from, to) → the status its active slots take, and whether its counts come from the plan instead of its slots.
    public static TheoryData<RunStatus, RunStatus, SlotStatus?, bool> AllowedEndings => new()
    {
        { RunStatus.Pending, RunStatus.Cancelled, SlotStatus.Cancelled, true },
        { RunStatus.Queued, RunStatus.Cancelled, SlotStatus.Cancelled, false },
        { RunStatus.Running, RunStatus.Cancelled, SlotStatus.Cancelled, false },
        { RunStatus.Pending, RunStatus.Error, SlotStatus.Error, true },
        { RunStatus.Queued, RunStatus.Error, SlotStatus.Error, false },
        { RunStatus.Running, RunStatus.Error, SlotStatus.Error, false },
        { RunStatus.Queued, RunStatus.Completed, null, false },
        { RunStatus.Running, RunStatus.Completed, null, false },
    };

    [Theory]
    [MemberData(nameof(AllowedEndings))]
    public void Each_ending_says_how_the_active_slots_end_and_where_the_counts_come_from(RunStatus from, RunStatus to, SlotStatus? slotsEndAs, bool countsFromPlan)
    {
        var ending = RunEnding.Of(from, to);

        Assert.NotNull(ending);
        Assert.Equal((from, to), (ending.From, ending.To));
        Assert.Equal(slotsEndAs, ending.ActiveSlotsEndAs);
        Assert.Equal(countsFromPlan ? RunCounts.EndedBeforeQueued(to, 7) : null, ending.CountsWithoutSlots(7));
    }

    [Fact]
    public void A_move_that_is_not_an_allowed_ending_is_none()
    {
        var allowed = AllowedEndings.Select(row => ((RunStatus)row[0], (RunStatus)row[1])).ToHashSet();
        foreach (var from in Enum.GetValues<RunStatus>())
            foreach (var to in Enum.GetValues<RunStatus>())
                Assert.Equal(allowed.Contains((from, to)), RunEnding.Of(from, to) is not null);
    }

    [Theory]
    [InlineData(RunStatus.Pending, null)]
    [InlineData(RunStatus.Queued, null)]
    [InlineData(RunStatus.Running, null)]
    [InlineData(RunStatus.Completed, null)]
    [InlineData(RunStatus.Error, SlotStatus.Error)]
    [InlineData(RunStatus.Cancelled, SlotStatus.Cancelled)]
    public void Slots_a_planner_creates_while_a_run_ends_end_with_it(RunStatus runStatus, SlotStatus? slotsEndAs)
    {
        Assert.Equal(slotsEndAs, RunEnding.SlotsEndWith(runStatus));
    }

    [Fact]
    public void A_pending_run_ending_counts_its_planned_tests_so_that_they_sum_to_total_tests()
    {
        foreach (var to in new[] { RunStatus.Error, RunStatus.Cancelled })
        {
            var counts = RunEnding.Of(RunStatus.Pending, to)!.CountsWithoutSlots(12)!;
            Assert.Equal(12, counts.Total);
            Assert.True(counts.AllTerminal);
        }
    }
}
