using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Comparisons;

/// <summary>One test of a comparison: its result in the baseline run and in the run (either may be absent).</summary>
public sealed record ComparisonRow(string TestId, TestResult? Before, TestResult? After, TestChange Change)
{
    /// <summary>The block the test targets, as the newer of its results recorded it.</summary>
    public string BlockId => (After ?? Before)!.BlockId;
}

/// <summary>How many tests changed each way.</summary>
public sealed record ComparisonSummary(int Fixed = 0, int Regressed = 0, int StillFailing = 0, int StillPassing = 0, int Added = 0, int Removed = 0)
{
    public ComparisonSummary Plus(TestChange change) => change switch
    {
        TestChange.Fixed => this with { Fixed = Fixed + 1 },
        TestChange.Regressed => this with { Regressed = Regressed + 1 },
        TestChange.StillFailing => this with { StillFailing = StillFailing + 1 },
        TestChange.StillPassing => this with { StillPassing = StillPassing + 1 },
        TestChange.Added => this with { Added = Added + 1 },
        _ => this with { Removed = Removed + 1 },
    };
}

/// <summary>
/// The classification rule: a result passed when it completed with verdict passed; anything else (failed, blocked,
/// a lifecycle error or cancellation, or not ended yet) did not pass.
/// </summary>
public static class RunComparison
{
    public static bool Passed(TestResult result) => result.Status == SlotStatus.Completed && result.Verdict == Verdict.Passed;

    public static TestChange Classify(TestResult? before, TestResult? after) => (before, after) switch
    {
        (null, null) => throw new ArgumentException("A comparison row needs at least one result."),
        (null, _) => TestChange.Added,
        (_, null) => TestChange.Removed,
        _ => (Passed(before), Passed(after)) switch
        {
            (false, true) => TestChange.Fixed,
            (true, false) => TestChange.Regressed,
            (true, true) => TestChange.StillPassing,
            _ => TestChange.StillFailing,
        },
    };
}
