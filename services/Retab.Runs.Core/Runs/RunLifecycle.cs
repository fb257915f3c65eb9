namespace Retab.Runs.Core.Runs;

/// <summary>
/// The one place that declares the lifecycle of runs and of their result slots.
/// <code>
/// run:  pending → queued → running → completed
///          │        │         ├────→ cancelled
///          └────────┴─────────┴────→ error | cancelled
/// slot: queued → running → completed | error | cancelled   (queued may skip running)
///       queued | running ⟲ attempt + 1, new deadline          the sweeper re-sends it; status and counts stay
///       error (worker_lost) → completed | error               the worker's own late result replaces the sweeper's
///                                                             worker_lost, only while the run is active
/// run ends (RunEnding): its active slots end with it (cancelled → cancelled, error → error); a run still pending
///       counts every planned test so, any other is recounted from its slots; then none of its slots moves again,
///       worker_lost ones included, so the counts announced in TestRunCompleted are final.
/// </code>
/// Stores apply every move as a guarded, atomic, conditional update whose guard is
/// <see cref="RunSourcesFor"/> / <see cref="SlotSourcesFor"/>: a duplicate or late event fails the guard and changes nothing.
/// The worker_lost replacement is the one move out of a terminal slot state, so it is not in these tables: it depends on
/// the slot's error, on who reports and on the run (<see cref="Results.SlotTransitions"/>).
/// </summary>
public static class RunLifecycle
{
    private static readonly Dictionary<RunStatus, RunStatus[]> RunMoves = new()
    {
        [RunStatus.Queued] = [RunStatus.Pending],
        [RunStatus.Running] = [RunStatus.Queued],
        [RunStatus.Completed] = [RunStatus.Queued, RunStatus.Running],
        [RunStatus.Error] = [RunStatus.Pending, RunStatus.Queued, RunStatus.Running],
        [RunStatus.Cancelled] = [RunStatus.Pending, RunStatus.Queued, RunStatus.Running],
    };

    private static readonly Dictionary<SlotStatus, SlotStatus[]> SlotMoves = new()
    {
        [SlotStatus.Queued] = [SlotStatus.Pending],
        [SlotStatus.Running] = [SlotStatus.Pending, SlotStatus.Queued],
        [SlotStatus.Completed] = [SlotStatus.Pending, SlotStatus.Queued, SlotStatus.Running],
        [SlotStatus.Error] = [SlotStatus.Pending, SlotStatus.Queued, SlotStatus.Running],
        [SlotStatus.Cancelled] = [SlotStatus.Pending, SlotStatus.Queued, SlotStatus.Running],
    };

    /// <summary>The states a run may move to <paramref name="to"/> from.</summary>
    public static IReadOnlyList<RunStatus> RunSourcesFor(RunStatus to) => RunMoves.GetValueOrDefault(to, []);

    /// <summary>The states a slot may move to <paramref name="to"/> from.</summary>
    public static IReadOnlyList<SlotStatus> SlotSourcesFor(SlotStatus to) => SlotMoves.GetValueOrDefault(to, []);

    public static bool CanMove(RunStatus from, RunStatus to) => RunSourcesFor(to).Contains(from);

    public static bool CanMove(SlotStatus from, SlotStatus to) => SlotSourcesFor(to).Contains(from);

    public static bool IsTerminal(RunStatus status) => status is RunStatus.Completed or RunStatus.Error or RunStatus.Cancelled;

    public static bool IsTerminal(SlotStatus status) => status is SlotStatus.Completed or SlotStatus.Error or SlotStatus.Cancelled;

    public static readonly IReadOnlyList<RunStatus> ActiveRunStatuses = [RunStatus.Pending, RunStatus.Queued, RunStatus.Running];
    public static readonly IReadOnlyList<SlotStatus> ActiveSlotStatuses = [SlotStatus.Pending, SlotStatus.Queued, SlotStatus.Running];
}
