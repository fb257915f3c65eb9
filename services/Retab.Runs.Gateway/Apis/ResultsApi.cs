using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Gateway.Http;
using Retab.Runs.Gateway.OpenApi;
using Retab.Runs.Gateway.Responses;

namespace Retab.Runs.Gateway.Apis;

/// <summary>Result rows of runs (DESIGN §3.5).</summary>
public static class ResultsApi
{
    public static RouteGroupBuilder MapResultsApi(this RouteGroupBuilder v1)
    {
        var api = v1.MapGroup("/workflows/tests/results").WithTags("Results");
        api.MapGet("/", ListResults).WithName("list_workflow_test_results").WithSummary("List a run's results")
            .WithQuery([QueryParameters.RunId, QueryParameters.ResultStatus, QueryParameters.Verdict, .. QueryParameters.Page])
            .Produces<ListResponse<ResultResponse>>().ProducesError(StatusCodes.Status404NotFound, RunErrorCodes.RunNotFound).ProducesValidationError();
        api.MapGet("/{result_id}", GetResult).WithName("get_workflow_test_result").WithSummary("Get a result")
            .Produces<ResultResponse>().ProducesError(StatusCodes.Status404NotFound, RunErrorCodes.ResultNotFound);
        return v1;
    }

    public static async Task<IResult> ListResults([AsParameters] GatewayServices s)
    {
        var query = new QueryReader(s.Http.Request.Query);
        var runId = query.RequiredString("run_id");
        var status = query.Enum<SlotStatus>("status");
        var verdict = query.Enum<Verdict>("verdict");
        var page = query.Page();
        if (query.HasErrors)
            return ApiErrors.Validation(query.Errors);
        if (await s.Runs.GetRunAsync(s.OrganizationId, runId!, s.Aborted) is null)
            return TestRunsApi.RunNotFound(runId!);
        var results = await s.Runs.ListResultsAsync(s.OrganizationId, new ResultQuery(runId!, status, verdict), page, s.Aborted);
        return Results.Ok(ListResponse<ResultResponse>.From(results, ResultResponse.From));
    }

    public static async Task<IResult> GetResult(string result_id, [AsParameters] GatewayServices s) =>
        await s.Runs.GetResultAsync(s.OrganizationId, result_id, s.Aborted) is { } result
            ? Results.Ok(ResultResponse.From(result))
            : ApiErrors.NotFound(RunErrorCodes.ResultNotFound, $"Result '{result_id}' does not exist.");

    /// <summary><c>GET /v1/workflows/tests/runs/{run_id}/results/{test_id}</c>: the seed's route, keyed by test id.</summary>
    public static async Task<IResult> GetResultOfTest(string run_id, string test_id, [AsParameters] GatewayServices s)
    {
        if (await s.Runs.GetRunAsync(s.OrganizationId, run_id, s.Aborted) is null)
            return TestRunsApi.RunNotFound(run_id);
        return await s.Runs.GetResultByTestAsync(s.OrganizationId, run_id, test_id, s.Aborted) is { } result
            ? Results.Ok(ResultResponse.From(result))
            : ApiErrors.NotFound(RunErrorCodes.ResultNotFound, $"Run '{run_id}' has no result for test '{test_id}'.");
    }
}
