namespace Retab.Runs.Core.Comparisons;

/// <summary>How a test's outcome changed from a baseline run to a run.</summary>
public enum TestChange
{
    /// <summary>Did not pass in the baseline (failed, blocked, error, cancelled), passes now.</summary>
    Fixed,

    /// <summary>Passed in the baseline, does not now.</summary>
    Regressed,

    StillFailing,
    StillPassing,

    /// <summary>Only in the run.</summary>
    Added,

    /// <summary>Only in the baseline.</summary>
    Removed,
}

public static class TestChanges
{
    public static readonly string[] Names = ["fixed", "regressed", "still_failing", "still_passing", "added", "removed"];

    public static string NameOf(TestChange change) => Names[(int)change];

    public static TestChange? Parse(string? name) => name is null ? null : Array.IndexOf(Names, name) is var i and >= 0 ? (TestChange)i : null;
}
