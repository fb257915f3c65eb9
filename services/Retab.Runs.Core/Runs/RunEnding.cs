namespace Retab.Runs.Core.Runs;

/// <summary>
/// What ending a run does to its slots and its counts, decided here once so that every store only persists it
/// (see the diagram of <see cref="RunLifecycle"/>):
/// <list type="bullet">
/// <item>its still-active slots end with it: cancelled when it is cancelled, error when it fails (a run completes only
/// once every slot is terminal, so then none is left);</item>
/// <item>a run still pending has no slots to count yet, so every planned test counts as the run ended
/// (<see cref="RunCounts.EndedBeforeQueued"/>); any other run is recounted from its slots once they ended
/// (<see cref="RunCounts.FromSlots"/>), so the counts it is announced with equal its slots;</item>
/// <item>from then on no slot of it moves: a worker's late result no longer replaces a <c>worker_lost</c> error
/// (<see cref="Results.SlotTransitions"/>), so the announced counts stay final.</item>
/// </list>
/// </summary>
public sealed record RunEnding
{
    private RunEnding(RunStatus from, RunStatus to) => (From, To) = (from, to);

    /// <summary>The status the run had when it ended.</summary>
    public RunStatus From { get; }

    /// <summary>The terminal status it ends in.</summary>
    public RunStatus To { get; }

    /// <summary>How a run in <paramref name="from"/> ends in <paramref name="to"/>; null when the lifecycle forbids that move.</summary>
    public static RunEnding? Of(RunStatus from, RunStatus to) =>
        RunLifecycle.IsTerminal(to) && RunLifecycle.CanMove(from, to) ? new RunEnding(from, to) : null;

    /// <summary>The status its still-active slots take; null when ending so leaves none (completion).</summary>
    public SlotStatus? ActiveSlotsEndAs => SlotsEndWith(To);

    /// <summary>
    /// The counts it ends with when it has no slots to count (it was still pending); null when they are recounted from
    /// its slots, after its active slots ended.
    /// </summary>
    public RunCounts? CountsWithoutSlots(int totalTests) => From == RunStatus.Pending ? RunCounts.EndedBeforeQueued(To, totalTests) : null;

    /// <summary>
    /// The status an active slot of a run that ended in <paramref name="runStatus"/> takes, also one a planner created
    /// while the run was ending; null for a run that did not end so (still active, or completed with every slot terminal).
    /// </summary>
    public static SlotStatus? SlotsEndWith(RunStatus runStatus) => runStatus switch
    {
        RunStatus.Cancelled => SlotStatus.Cancelled,
        RunStatus.Error => SlotStatus.Error,
        _ => null,
    };
}
