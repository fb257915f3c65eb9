namespace Retab.Runs.Core.Runs;

/// <summary>Which results of an earlier run select their test for a rerun.</summary>
public enum RerunOnly
{
    /// <summary>Completed with verdict failed.</summary>
    Failed,

    /// <summary>Everything that did not pass: failed, blocked, error, cancelled (and anything never finished).</summary>
    NotPassed,

    /// <summary>Lifecycle error: the infrastructure could not run the test.</summary>
    Error,

    /// <summary>Every result of the run.</summary>
    All,
}

/// <summary>The rerun rules, and the names the API and the bus use for <see cref="RerunOnly"/>.</summary>
public static class RerunSelection
{
    public static readonly string[] Names = ["failed", "not_passed", "error", "all"];

    public static string NameOf(RerunOnly only) => Names[(int)only];

    public static RerunOnly? Parse(string? name) => name is null ? null : Array.IndexOf(Names, name) is var i and >= 0 ? (RerunOnly)i : null;

    /// <summary>Whether a result of the earlier run, in this state, selects its test.</summary>
    public static bool Selects(RerunOnly only, SlotStatus status, Verdict? verdict) => only switch
    {
        RerunOnly.Failed => status == SlotStatus.Completed && verdict == Verdict.Failed,
        RerunOnly.Error => status == SlotStatus.Error,
        RerunOnly.NotPassed => !(status == SlotStatus.Completed && verdict == Verdict.Passed),
        _ => true,
    };
}
