using Retab.Runs.Core.Comparisons;
using Retab.Runs.Core.Results;

namespace Retab.Runs.Gateway.Responses;

/// <summary>
/// <c>GET /v1/workflows/tests/runs/{run_id}/compare</c>: every test of a run and of its baseline, and how its outcome
/// changed; a list (<c>data</c>, <c>list_metadata</c>, cursors are test ids) with a summary of the whole comparison.
/// </summary>
public sealed record ComparisonResponse(
    string Object,
    string RunId,
    string? BaselineRunId,
    ComparisonSummaryResponse Summary,
    IReadOnlyList<ComparisonRowResponse> Data,
    ListMetadata ListMetadata);

/// <summary>How many tests changed each way, over the whole comparison (whatever the page and the <c>change</c> filter).</summary>
public sealed record ComparisonSummaryResponse(int Fixed, int Regressed, int StillFailing, int StillPassing, int Added, int Removed)
{
    public static ComparisonSummaryResponse From(ComparisonSummary s) =>
        new(s.Fixed, s.Regressed, s.StillFailing, s.StillPassing, s.Added, s.Removed);
}

/// <param name="Name">The saved test's name; null when it has none or was deleted.</param>
/// <param name="Before">The test's result in the baseline run; null when the baseline did not run it.</param>
/// <param name="After">The test's result in the run; null when the run did not run it.</param>
/// <param name="Change"><c>fixed</c>, <c>regressed</c>, <c>still_failing</c>, <c>still_passing</c>, <c>added</c> or <c>removed</c>.</param>
public sealed record ComparisonRowResponse(string TestId, string? Name, string BlockId, ComparedResultResponse? Before, ComparedResultResponse? After, string Change)
{
    public static ComparisonRowResponse From(ComparisonRow row, string? name) =>
        new(row.TestId, name, row.BlockId, ComparedResultResponse.From(row.Before), ComparedResultResponse.From(row.After), TestChanges.NameOf(row.Change));
}

/// <param name="Verdict"><c>passed</c>, <c>failed</c> or <c>blocked</c> when the result completed; null otherwise.</param>
/// <param name="Status">The result's lifecycle status (a result in <c>error</c> or <c>cancelled</c> counts as not passed).</param>
public sealed record ComparedResultResponse(string? Verdict, string ResultId, string Status)
{
    public static ComparedResultResponse? From(TestResult? result) => result is null
        ? null
        : new(result.Verdict?.ToString().ToLowerInvariant(), result.Id, result.Status.ToString().ToLowerInvariant());
}
