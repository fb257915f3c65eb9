using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Tests.Domain;

public class RunCountsTests
{
    private static int OutcomeSum(RunCounts c) => c.Passed + c.Failed + c.Blocked;

    private static void AssertInvariants(RunCounts counts, int totalTests)
    {
        Assert.Equal(totalTests, counts.Pending + counts.Queued + counts.Running + counts.Completed + counts.Error + counts.Cancelled);
        Assert.Equal(totalTests, counts.Total);
        Assert.Equal(counts.Completed, OutcomeSum(counts));
        Assert.True(counts.Pending >= 0 && counts.Queued >= 0 && counts.Running >= 0 && counts.Completed >= 0
                    && counts.Error >= 0 && counts.Cancelled >= 0 && counts.Passed >= 0 && counts.Failed >= 0 && counts.Blocked >= 0,
            $"negative count in {counts}");
    }

    [Fact]
    public void A_planned_run_has_every_slot_queued()
    {
        var counts = RunCounts.AllQueued(7);
        Assert.Equal(new RunCounts(Queued: 7), counts);
        AssertInvariants(counts, 7);
        Assert.False(counts.AllTerminal);
    }

    [Theory]
    [InlineData(RunStatus.Error, 5)]
    [InlineData(RunStatus.Cancelled, 5)]
    [InlineData(RunStatus.Cancelled, 1)]
    public void A_run_ended_before_it_was_queued_counts_every_planned_test_as_ending_with_it(RunStatus endedAs, int total)
    {
        var counts = RunCounts.EndedBeforeQueued(endedAs, total);

        Assert.Equal(endedAs == RunStatus.Error ? new RunCounts(Error: total) : new RunCounts(Cancelled: total), counts);
        AssertInvariants(counts, total);
        Assert.True(counts.AllTerminal);
    }

    [Theory]
    [InlineData(RunStatus.Pending)]
    [InlineData(RunStatus.Queued)]
    [InlineData(RunStatus.Running)]
    [InlineData(RunStatus.Completed)]
    public void Only_a_failed_or_cancelled_run_ends_before_it_was_queued(RunStatus status)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RunCounts.EndedBeforeQueued(status, 3));
    }

    public static TheoryData<SlotStatus, SlotStatus, Verdict?, RunCounts> SlotMoves => new()
    {
        { SlotStatus.Queued, SlotStatus.Running, null, new RunCounts(Queued: -1, Running: 1) },
        { SlotStatus.Queued, SlotStatus.Completed, Verdict.Passed, new RunCounts(Queued: -1, Completed: 1, Passed: 1) },
        { SlotStatus.Running, SlotStatus.Completed, Verdict.Failed, new RunCounts(Running: -1, Completed: 1, Failed: 1) },
        { SlotStatus.Running, SlotStatus.Completed, Verdict.Blocked, new RunCounts(Running: -1, Completed: 1, Blocked: 1) },
        { SlotStatus.Running, SlotStatus.Error, null, new RunCounts(Running: -1, Error: 1) },
        { SlotStatus.Queued, SlotStatus.Cancelled, null, new RunCounts(Queued: -1, Cancelled: 1) },
        { SlotStatus.Pending, SlotStatus.Queued, null, new RunCounts(Pending: -1, Queued: 1) },
        // A verdict only counts for a completed slot.
        { SlotStatus.Running, SlotStatus.Error, Verdict.Passed, new RunCounts(Running: -1, Error: 1) },
        { SlotStatus.Running, SlotStatus.Cancelled, Verdict.Failed, new RunCounts(Running: -1, Cancelled: 1) },
    };

    [Theory]
    [MemberData(nameof(SlotMoves))]
    public void A_slot_move_changes_exactly_its_two_states_and_the_verdict(SlotStatus from, SlotStatus to, Verdict? verdict, RunCounts expected)
    {
        Assert.Equal(expected, new RunCounts().Move(from, to, verdict));
    }

    [Fact]
    public void Every_allowed_move_keeps_the_total_and_the_outcome_sum()
    {
        var start = new RunCounts(Pending: 3, Queued: 3, Running: 3);
        foreach (var from in Enum.GetValues<SlotStatus>().Where(s => !RunLifecycle.IsTerminal(s)))
            foreach (var to in Enum.GetValues<SlotStatus>().Where(to => RunLifecycle.CanMove(from, to)))
                foreach (var verdict in new Verdict?[] { null, Verdict.Passed, Verdict.Failed, Verdict.Blocked })
                {
                    if (to == SlotStatus.Completed && verdict is null)
                        continue; // a completed slot always has a verdict
                    AssertInvariants(start.Plus(new RunCounts().Move(from, to, verdict)), 9);
                }
    }

    [Fact]
    public void Counts_from_slots_count_each_state_and_only_completed_verdicts()
    {
        var counts = RunCounts.FromSlots(
        [
            (SlotStatus.Queued, null),
            (SlotStatus.Running, null),
            (SlotStatus.Completed, Verdict.Passed),
            (SlotStatus.Completed, Verdict.Passed),
            (SlotStatus.Completed, Verdict.Failed),
            (SlotStatus.Completed, Verdict.Blocked),
            (SlotStatus.Error, null),
            // A result that arrived after cancel keeps its verdict on the slot, but the slot counts as cancelled only.
            (SlotStatus.Cancelled, Verdict.Passed),
            (SlotStatus.Cancelled, null),
        ]);
        Assert.Equal(new RunCounts(Queued: 1, Running: 1, Completed: 4, Error: 1, Cancelled: 2, Passed: 2, Failed: 1, Blocked: 1), counts);
        AssertInvariants(counts, 9);
    }

    [Fact]
    public void Cancelled_run_counts_still_sum_to_total_tests()
    {
        var slots = new List<(SlotStatus, Verdict?)>();
        slots.AddRange(Enumerable.Repeat((SlotStatus.Completed, (Verdict?)Verdict.Passed), 4));
        slots.AddRange(Enumerable.Repeat((SlotStatus.Cancelled, (Verdict?)null), 5));
        slots.AddRange(Enumerable.Repeat((SlotStatus.Cancelled, (Verdict?)Verdict.Failed), 2)); // late results
        slots.Add((SlotStatus.Error, null));

        var counts = RunCounts.FromSlots(slots);

        AssertInvariants(counts, 12);
        Assert.Equal(7, counts.Cancelled);
        Assert.Equal(4, counts.Passed);
        Assert.Equal(0, counts.Failed);
        Assert.True(counts.AllTerminal);
    }

    [Fact]
    public void Counts_from_no_slots_are_all_zero_and_not_terminal()
    {
        var counts = RunCounts.FromSlots([]);
        Assert.Equal(new RunCounts(), counts);
        Assert.False(counts.AllTerminal);
    }

    [Theory]
    [InlineData(0, 0, 0, 0, 0, false)]
    [InlineData(1, 0, 0, 0, 0, false)]
    [InlineData(0, 1, 3, 0, 0, false)]
    [InlineData(0, 0, 3, 0, 0, true)]
    [InlineData(0, 0, 0, 2, 0, true)]
    [InlineData(0, 0, 0, 0, 2, true)]
    [InlineData(0, 0, 1, 1, 1, true)]
    [InlineData(0, 1, 1, 1, 1, false)]
    public void All_terminal_means_at_least_one_slot_and_none_active(int queued, int running, int completed, int error, int cancelled, bool expected)
    {
        var counts = new RunCounts(Queued: queued, Running: running, Completed: completed, Error: error, Cancelled: cancelled, Passed: completed);
        Assert.Equal(expected, counts.AllTerminal);
        Assert.Equal(completed + error + cancelled, counts.Terminal);
    }

    [Fact]
    public void Plus_adds_every_field()
    {
        var a = new RunCounts(1, 2, 3, 4, 5, 6, 7, 8, 9);
        var b = new RunCounts(10, 20, 30, 40, 50, 60, 70, 80, 90);
        Assert.Equal(new RunCounts(11, 22, 33, 44, 55, 66, 77, 88, 99), a.Plus(b));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Incremental_counts_equal_counts_recomputed_from_slots_after_any_sequence_of_moves(int seed)
    {
        var random = new Random(seed);
        const int total = 200;
        var slots = Enumerable.Range(0, total).Select(_ => (Status: SlotStatus.Queued, Verdict: (Verdict?)null)).ToArray();
        var counts = RunCounts.AllQueued(total);

        for (var step = 0; step < 2_000; step++)
        {
            var i = random.Next(total);
            var to = Enum.GetValues<SlotStatus>()[random.Next(6)];
            if (!RunLifecycle.CanMove(slots[i].Status, to))
                continue;
            Verdict? verdict = to == SlotStatus.Completed ? (Verdict)random.Next(3) : null;
            counts = counts.Plus(new RunCounts().Move(slots[i].Status, to, verdict));
            slots[i] = (to, verdict);
            AssertInvariants(counts, total);
        }

        Assert.Equal(RunCounts.FromSlots(slots), counts);
    }
}
