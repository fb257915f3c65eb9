using Retab.Runs.Core.Comparisons;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Validation;
using Retab.Runs.Gateway.Http;
using Retab.Runs.Gateway.OpenApi;
using Retab.Runs.Gateway.Responses;

namespace Retab.Runs.Gateway.Apis;

/// <summary>Compare a run with its previous run, or with any run: what changed since last time, test by test.</summary>
public static class RunComparisonApi
{
    public static RouteGroupBuilder MapRunComparisonApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/workflows/tests/runs/{run_id}/compare", CompareRun).WithTags("Test runs")
            .WithName("compare_workflow_test_run").WithSummary("Compare a test run with a baseline run")
            .WithDescription(CompareDescription)
            .WithQuery([QueryParameters.Baseline, QueryParameters.Change, .. QueryParameters.Page])
            .Produces<ComparisonResponse>()
            .ProducesError(StatusCodes.Status404NotFound, RunErrorCodes.RunNotFound, RunErrorCodes.BaselineNotFound)
            .ProducesValidationError();
        return v1;
    }

    private const string CompareDescription =
        "Every test of the run or of the baseline, ordered by test id, with its result in each (`before`, `after`; null when " +
        "that run did not run it) and how it changed: `fixed` (did not pass, passes), `regressed` (passed, does not), " +
        "`still_failing`, `still_passing`, `added`, `removed`. A result passed when it completed with verdict passed; failed, " +
        "blocked, error and cancelled did not. `baseline=previous` (the default) is the run's recorded baseline once it " +
        "completed, else the latest completed run of the same workflow and scope created before it; when there is none, " +
        "`baseline_run_id` is null and every test is `added`. The summary counts the whole comparison.";

    public static async Task<IResult> CompareRun(string run_id, [AsParameters] GatewayServices s, RunComparer comparer)
    {
        var query = new QueryReader(s.Http.Request.Query);
        var baseline = query.String("baseline") ?? "previous";
        var changeName = query.String("change");
        var change = TestChanges.Parse(changeName);
        var page = query.Page();
        var errors = query.Errors.ToList();
        if (changeName is not null && change is null)
            errors.Add(new FieldError(["query", "change"], $"Input should be {string.Join(", ", TestChanges.Names.Select(n => $"'{n}'"))}", "literal_error"));
        if (errors.Count > 0)
            return ApiErrors.Validation(errors);

        if (await s.Runs.GetRunAsync(s.OrganizationId, run_id, s.Aborted) is not { } run)
            return TestRunsApi.RunNotFound(run_id);
        string? baselineRunId;
        if (baseline == "previous")
            baselineRunId = run.BaselineRunId ?? (await s.Runs.FindPreviousCompletedRunAsync(run, s.Aborted))?.Id;
        else if (await s.Runs.GetRunAsync(s.OrganizationId, baseline, s.Aborted) is { } named)
            baselineRunId = named.Id;
        else
            return ApiErrors.NotFound(RunErrorCodes.BaselineNotFound, $"Baseline run '{baseline}' does not exist.");

        var (summary, rows) = await comparer.CompareAsync(s.OrganizationId, run.Id, baselineRunId, page, change, s.Aborted);
        var data = new List<ComparisonRowResponse>(rows.Data.Count);
        foreach (var row in rows.Data)
            data.Add(ComparisonRowResponse.From(row, (await s.Tests.GetAsync(s.OrganizationId, row.TestId, s.Aborted))?.Name));
        return Results.Ok(new ComparisonResponse("workflow_test_run_comparison", run.Id, baselineRunId,
            ComparisonSummaryResponse.From(summary), data, new ListMetadata(rows.Before, rows.After)));
    }
}
