using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Tests.Domain;

public class RunLifecycleTests
{
    // The run state machine of DESIGN §5, written out move by move (independently of RunLifecycle's tables):
    // pending → queued → running → completed; any active state → error | cancelled; a queued run whose slots
    // all finished at planning may complete without running.
    private static readonly HashSet<(RunStatus, RunStatus)> AllowedRunMoves =
    [
        (RunStatus.Pending, RunStatus.Queued),
        (RunStatus.Queued, RunStatus.Running),
        (RunStatus.Queued, RunStatus.Completed),
        (RunStatus.Running, RunStatus.Completed),
        (RunStatus.Pending, RunStatus.Error),
        (RunStatus.Queued, RunStatus.Error),
        (RunStatus.Running, RunStatus.Error),
        (RunStatus.Pending, RunStatus.Cancelled),
        (RunStatus.Queued, RunStatus.Cancelled),
        (RunStatus.Running, RunStatus.Cancelled),
    ];

    // Slots: (pending →) queued → running → completed | error | cancelled; queued may skip running.
    private static readonly HashSet<(SlotStatus, SlotStatus)> AllowedSlotMoves =
    [
        (SlotStatus.Pending, SlotStatus.Queued),
        (SlotStatus.Pending, SlotStatus.Running),
        (SlotStatus.Queued, SlotStatus.Running),
        (SlotStatus.Pending, SlotStatus.Completed),
        (SlotStatus.Queued, SlotStatus.Completed),
        (SlotStatus.Running, SlotStatus.Completed),
        (SlotStatus.Pending, SlotStatus.Error),
        (SlotStatus.Queued, SlotStatus.Error),
        (SlotStatus.Running, SlotStatus.Error),
        (SlotStatus.Pending, SlotStatus.Cancelled),
        (SlotStatus.Queued, SlotStatus.Cancelled),
        (SlotStatus.Running, SlotStatus.Cancelled),
    ];

    public static TheoryData<RunStatus, RunStatus, bool> EveryRunPair()
    {
        var data = new TheoryData<RunStatus, RunStatus, bool>();
        foreach (var from in Enum.GetValues<RunStatus>())
            foreach (var to in Enum.GetValues<RunStatus>())
                data.Add(from, to, AllowedRunMoves.Contains((from, to)));
        return data;
    }

    public static TheoryData<SlotStatus, SlotStatus, bool> EverySlotPair()
    {
        var data = new TheoryData<SlotStatus, SlotStatus, bool>();
        foreach (var from in Enum.GetValues<SlotStatus>())
            foreach (var to in Enum.GetValues<SlotStatus>())
                data.Add(from, to, AllowedSlotMoves.Contains((from, to)));
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryRunPair))]
    public void Run_moves_are_exactly_the_declared_ones(RunStatus from, RunStatus to, bool allowed)
    {
        Assert.Equal(allowed, RunLifecycle.CanMove(from, to));
        Assert.Equal(allowed, RunLifecycle.RunSourcesFor(to).Contains(from));
    }

    [Theory]
    [MemberData(nameof(EverySlotPair))]
    public void Slot_moves_are_exactly_the_declared_ones(SlotStatus from, SlotStatus to, bool allowed)
    {
        Assert.Equal(allowed, RunLifecycle.CanMove(from, to));
        Assert.Equal(allowed, RunLifecycle.SlotSourcesFor(to).Contains(from));
    }

    [Theory]
    [InlineData(RunStatus.Pending, false)]
    [InlineData(RunStatus.Queued, false)]
    [InlineData(RunStatus.Running, false)]
    [InlineData(RunStatus.Completed, true)]
    [InlineData(RunStatus.Error, true)]
    [InlineData(RunStatus.Cancelled, true)]
    public void Run_terminal_states_are_completed_error_and_cancelled(RunStatus status, bool terminal)
    {
        Assert.Equal(terminal, RunLifecycle.IsTerminal(status));
        Assert.Equal(!terminal, RunLifecycle.ActiveRunStatuses.Contains(status));
    }

    [Theory]
    [InlineData(SlotStatus.Pending, false)]
    [InlineData(SlotStatus.Queued, false)]
    [InlineData(SlotStatus.Running, false)]
    [InlineData(SlotStatus.Completed, true)]
    [InlineData(SlotStatus.Error, true)]
    [InlineData(SlotStatus.Cancelled, true)]
    public void Slot_terminal_states_are_completed_error_and_cancelled(SlotStatus status, bool terminal)
    {
        Assert.Equal(terminal, RunLifecycle.IsTerminal(status));
        Assert.Equal(!terminal, RunLifecycle.ActiveSlotStatuses.Contains(status));
    }

    [Fact]
    public void A_terminal_run_never_moves_again()
    {
        foreach (var from in Enum.GetValues<RunStatus>().Where(RunLifecycle.IsTerminal))
            foreach (var to in Enum.GetValues<RunStatus>())
                Assert.False(RunLifecycle.CanMove(from, to), $"{from} → {to} must be forbidden");
    }

    [Fact]
    public void A_terminal_slot_never_moves_again()
    {
        foreach (var from in Enum.GetValues<SlotStatus>().Where(RunLifecycle.IsTerminal))
            foreach (var to in Enum.GetValues<SlotStatus>())
                Assert.False(RunLifecycle.CanMove(from, to), $"{from} → {to} must be forbidden");
    }

    [Fact]
    public void Slot_moves_only_go_forward_so_a_duplicate_event_fails_the_guard()
    {
        foreach (var from in Enum.GetValues<SlotStatus>())
            foreach (var to in Enum.GetValues<SlotStatus>())
                if (RunLifecycle.CanMove(from, to))
                    Assert.True(to > from, $"{from} → {to} goes backwards or stays");
        foreach (var status in Enum.GetValues<SlotStatus>())
            Assert.False(RunLifecycle.CanMove(status, status), $"{status} → {status} must be a no-op");
    }

    [Fact]
    public void Run_moves_only_go_forward()
    {
        foreach (var from in Enum.GetValues<RunStatus>())
            foreach (var to in Enum.GetValues<RunStatus>())
                if (RunLifecycle.CanMove(from, to))
                    Assert.True(to > from, $"{from} → {to} goes backwards or stays");
    }
}
