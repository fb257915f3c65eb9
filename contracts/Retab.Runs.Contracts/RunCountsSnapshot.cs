namespace Retab.Runs.Contracts;

/// <summary>Per-lifecycle and per-outcome counts of a run's result slots.</summary>
public sealed record RunCountsSnapshot(
    int Pending, int Queued, int Running, int Completed, int Error, int Cancelled,
    int Passed, int Failed, int Blocked);
