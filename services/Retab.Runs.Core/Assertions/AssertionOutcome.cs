namespace Retab.Runs.Core.Assertions;

public enum AssertionOutcome
{
    Passed,
    Failed,
    /// <summary>The assertion could not be evaluated (absent target, type error, bad regex, no model…).</summary>
    Blocked,
}
