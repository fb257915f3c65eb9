namespace Retab.Runs.Core.Runs;

/// <summary>
/// How many of a run's slots are in each state, and the verdicts of the completed ones.
/// Invariants: the lifecycle counts sum to total_tests; Passed + Failed + Blocked = Completed.
/// </summary>
public sealed record RunCounts(
    int Pending = 0, int Queued = 0, int Running = 0, int Completed = 0, int Error = 0, int Cancelled = 0,
    int Passed = 0, int Failed = 0, int Blocked = 0)
{
    /// <summary>A planned run: every slot waits in the queue.</summary>
    public static RunCounts AllQueued(int total) => new(Queued: total);

    /// <summary>
    /// A run that ended in <paramref name="endedAs"/> (error or cancelled) before it was queued: it has no slots, so every
    /// planned test counts as ending with it, as its slots would have (<see cref="RunEnding.SlotsEndWith"/>).
    /// </summary>
    public static RunCounts EndedBeforeQueued(RunStatus endedAs, int totalTests) =>
        new RunCounts().Add(RunEnding.SlotsEndWith(endedAs)
            ?? throw new ArgumentOutOfRangeException(nameof(endedAs), endedAs, "Only a failed or cancelled run ends before it is queued."), totalTests);

    public int Total => Pending + Queued + Running + Completed + Error + Cancelled;

    public int Terminal => Completed + Error + Cancelled;

    public bool AllTerminal => Total > 0 && Terminal == Total;

    /// <summary>The change one slot move makes.</summary>
    public RunCounts Move(SlotStatus from, SlotStatus to, Verdict? verdict) =>
        Add(from, -1).Add(to, +1).AddVerdict(to == SlotStatus.Completed ? verdict : null, +1);

    /// <summary>Counts recomputed from the slots themselves: the source of truth when reconciling.</summary>
    public static RunCounts FromSlots(IEnumerable<(SlotStatus Status, Verdict? Verdict)> slots) =>
        slots.Aggregate(new RunCounts(), (counts, slot) =>
            counts.Add(slot.Status, +1).AddVerdict(slot.Status == SlotStatus.Completed ? slot.Verdict : null, +1));

    public RunCounts Plus(RunCounts other) => new(
        Pending + other.Pending, Queued + other.Queued, Running + other.Running, Completed + other.Completed,
        Error + other.Error, Cancelled + other.Cancelled, Passed + other.Passed, Failed + other.Failed, Blocked + other.Blocked);

    private RunCounts Add(SlotStatus status, int delta) => status switch
    {
        SlotStatus.Pending => this with { Pending = Pending + delta },
        SlotStatus.Queued => this with { Queued = Queued + delta },
        SlotStatus.Running => this with { Running = Running + delta },
        SlotStatus.Completed => this with { Completed = Completed + delta },
        SlotStatus.Error => this with { Error = Error + delta },
        SlotStatus.Cancelled => this with { Cancelled = Cancelled + delta },
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    private RunCounts AddVerdict(Verdict? verdict, int delta) => verdict switch
    {
        Verdict.Passed => this with { Passed = Passed + delta },
        Verdict.Failed => this with { Failed = Failed + delta },
        Verdict.Blocked => this with { Blocked = Blocked + delta },
        _ => this,
    };
}
