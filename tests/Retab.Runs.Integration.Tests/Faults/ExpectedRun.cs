namespace Retab.Runs.Integration.Tests.Faults;

/// <summary>How a run must end: its status and total, and each count that is known in advance (null: any value).</summary>
public sealed record ExpectedRun(string Status, int Total)
{
    public int? Passed { get; init; }
    public int? Failed { get; init; }
    public int? Blocked { get; init; } = 0;
    public int? Error { get; init; } = 0;
    public int? Cancelled { get; init; } = 0;

    /// <summary>Every test ran once and got the verdict its workload gives it: nothing in error, nothing lost.</summary>
    public static ExpectedRun AllVerdicts(Workload workload) =>
        new("completed", workload.Total) { Passed = workload.Passing, Failed = workload.Failing };

    /// <summary>Cancelled mid-way: whatever had finished keeps its verdict, the rest is cancelled, nothing is in error.</summary>
    public static ExpectedRun CancelledMidway(Workload workload) =>
        new("cancelled", workload.Total) { Blocked = null, Cancelled = null };
}
