using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Core.Comparisons;

/// <summary>
/// Compares two runs test by test: a merge of both runs' results, each read a store page at a time in test id order,
/// so memory stays one page of each run plus the rows of the page asked for, whatever the runs' size.
/// </summary>
public sealed class RunComparer(IRunStore runs)
{
    /// <summary>The summary of every test of both runs, and one page of rows (cursors are test ids) with the change asked for.</summary>
    /// <param name="baselineRunId">Null when there is no baseline: every test of the run is <see cref="TestChange.Added"/>.</param>
    public async Task<(ComparisonSummary Summary, Page<ComparisonRow> Page)> CompareAsync(
        string organizationId, string runId, string? baselineRunId, PageRequest page, TestChange? only, CancellationToken cancellationToken)
    {
        // One pass over everything in the page's walking order: rows before the cursor only count in the summary.
        var summary = new ComparisonSummary();
        var rows = new List<ComparisonRow>();
        var ascending = page.ReadsAscending;
        await foreach (var row in MergeAsync(organizationId, runId, baselineRunId, ascending, cancellationToken))
        {
            summary = summary.Plus(row.Change);
            if (rows.Count < page.ItemsToRead && (only is null || row.Change == only) && IsPastCursor(row.TestId, page.Cursor, ascending))
                rows.Add(row);
        }
        return (summary, Page<ComparisonRow>.FromWalk(rows, page, r => r.TestId));
    }

    /// <summary>Only the summary (the run's <c>regressions</c> and <c>fixes</c> at its end).</summary>
    public async Task<ComparisonSummary> SummarizeAsync(string organizationId, string runId, string baselineRunId, CancellationToken cancellationToken)
    {
        var summary = new ComparisonSummary();
        await foreach (var row in MergeAsync(organizationId, runId, baselineRunId, ascending: true, cancellationToken))
            summary = summary.Plus(row.Change);
        return summary;
    }

    private static bool IsPastCursor(string testId, string? cursor, bool ascending) =>
        cursor is null || (ascending ? string.CompareOrdinal(testId, cursor) > 0 : string.CompareOrdinal(testId, cursor) < 0);

    private async IAsyncEnumerable<ComparisonRow> MergeAsync(
        string organizationId, string runId, string? baselineRunId, bool ascending,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var after = RunResults.ReadAsync(runs, organizationId, runId, ascending, null, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var before = (baselineRunId is null
            ? EmptyAsync()
            : RunResults.ReadAsync(runs, organizationId, baselineRunId, ascending, null, cancellationToken)).GetAsyncEnumerator(cancellationToken);
        var a = await after.MoveNextAsync() ? after.Current : null;
        var b = await before.MoveNextAsync() ? before.Current : null;
        while (a is not null || b is not null)
        {
            // Which test comes first in the walking order: the run's, the baseline's, or both (the same test).
            var order = a is null ? 1 : b is null ? -1 : string.CompareOrdinal(a.TestId, b.TestId) * (ascending ? 1 : -1);
            var inRun = order <= 0 ? a : null;
            var inBaseline = order >= 0 ? b : null;
            yield return new ComparisonRow((inRun ?? inBaseline)!.TestId, inBaseline, inRun, RunComparison.Classify(inBaseline, inRun));
            if (inRun is not null)
                a = await after.MoveNextAsync() ? after.Current : null;
            if (inBaseline is not null)
                b = await before.MoveNextAsync() ? before.Current : null;
        }
    }

    private static async IAsyncEnumerable<TestResult> EmptyAsync()
    {
        await Task.CompletedTask;
        yield break;
    }
}
