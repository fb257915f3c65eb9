namespace Retab.Runs.Core.Flakiness;

/// <summary>
/// A test is flaky when its verdict changed at least once across its latest <c>window</c> completed results that share
/// its current <see cref="FlakyWindowKey"/>. Computed from stored results at read time; no state is kept.
/// </summary>
public static class FlakyRule
{
    /// <param name="samples">Completed results with the test's current key, in any order (the store selects them).</param>
    /// <param name="window">How many of the newest are compared (<see cref="FlakyOptions.Window"/>).</param>
    public static FlakyReport Evaluate(IEnumerable<VerdictSample> samples, int window)
    {
        // Newest first to cut the window, then oldest first to count flips in the order the verdicts happened.
        // Results completed in the same millisecond order by id, which sorts by creation time.
        var considered = samples
            .OrderByDescending(s => s.CompletedAt)
            .ThenByDescending(s => s.ResultId, StringComparer.Ordinal)
            .Take(Math.Max(window, 0))
            .Reverse()
            .ToList();
        if (considered.Count == 0)
            return FlakyReport.None;

        var flips = considered.Zip(considered.Skip(1)).Count(pair => pair.First.Verdict != pair.Second.Verdict);
        return new FlakyReport(flips > 0, flips, considered.Count);
    }
}
