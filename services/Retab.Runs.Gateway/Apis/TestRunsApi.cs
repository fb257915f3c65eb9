using MassTransit;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Validation;
using Retab.Runs.Gateway.Http;
using Retab.Runs.Gateway.OpenApi;
using Retab.Runs.Gateway.OpenApi.Bodies;
using Retab.Runs.Gateway.Requests;
using Retab.Runs.Gateway.Responses;
using Retab.Runs.Gateway.Streams;
using Retab.Runs.Messaging;
using Retab.Runs.Messaging.Observability;

namespace Retab.Runs.Gateway.Apis;

/// <summary>Test runs (DESIGN §3.4): create, read, list, cancel.</summary>
public static class TestRunsApi
{
    public static RouteGroupBuilder MapTestRunsApi(this RouteGroupBuilder v1)
    {
        var api = v1.MapGroup("/workflows/tests/runs").WithTags("Test runs").AddEndpointFilter<RunSpanTags>();
        api.MapPost("/", CreateRun).WithName("create_workflow_test_run").WithSummary("Start a test run")
            .AcceptsJson<CreateWorkflowTestRunRequest>().Produces<RunResponse>(StatusCodes.Status201Created)
            .ProducesError(StatusCodes.Status404NotFound, RunErrorCodes.WorkflowNotFound, RunErrorCodes.TestNotFound, RunErrorCodes.BlockNotFound, RunErrorCodes.RunNotFound)
            .ProducesError(StatusCodes.Status409Conflict, RunErrorCodes.RunInProgress)
            .ProducesError(StatusCodes.Status422UnprocessableEntity, RunErrorCodes.NoTestsInScope, RunErrorCodes.TooManyTests)
            .ProducesError(StatusCodes.Status429TooManyRequests, RunErrorCodes.TooManyRunsInProgress);
        api.MapGet("/", ListRuns).WithName("list_workflow_test_runs").WithSummary("List test runs")
            .WithQuery([
                QueryParameters.WorkflowId, QueryParameters.TestId, QueryParameters.TargetBlockId, QueryParameters.RunStatus,
                QueryParameters.ExcludeRunStatus, QueryParameters.TriggerType, QueryParameters.FromDate, QueryParameters.ToDate,
                .. QueryParameters.Page])
            .Produces<ListResponse<RunResponse>>().ProducesValidationError();
        api.MapGet("/{run_id}", GetRun).WithName("get_workflow_test_run").WithSummary("Get a test run")
            .Produces<RunResponse>().ProducesError(StatusCodes.Status404NotFound, RunErrorCodes.RunNotFound);
        api.MapPost("/{run_id}/cancel", CancelRun).WithName("cancel_workflow_test_run").WithSummary("Cancel a test run")
            .AcceptsJson<CancelWorkflowTestRunRequest>(optional: true).Produces<RunResponse>().Produces<RunResponse>(StatusCodes.Status202Accepted)
            .ProducesError(StatusCodes.Status404NotFound, RunErrorCodes.RunNotFound).ProducesError(StatusCodes.Status409Conflict, RunErrorCodes.RunNotCancellable)
            .ProducesError(StatusCodes.Status503ServiceUnavailable, RunErrorCodes.BrokerUnavailable);
        api.MapGet("/{run_id}/events", StreamRunEvents).WithName("stream_workflow_test_run_events")
            .WithSummary("Follow a test run live (Server-Sent Events)")
            .WithDescription(RunEventsDescription)
            .WithQuery(QueryParameters.WithResults)
            .Produces<string>(StatusCodes.Status200OK, TextEventStream)
            .ProducesError(StatusCodes.Status404NotFound, RunErrorCodes.RunNotFound).ProducesValidationError();
        api.MapGet("/{run_id}/results/{test_id}", ResultsApi.GetResultOfTest).WithName("get_workflow_test_run_result").WithSummary("Get a run's result for one test")
            .Produces<ResultResponse>().ProducesError(StatusCodes.Status404NotFound, RunErrorCodes.RunNotFound, RunErrorCodes.ResultNotFound);
        return v1;
    }

    /// <summary>
    /// Checks the run's scope here on counts to answer scope errors at once (404/422/409), stores it pending and hands
    /// it to the orchestrator, which plans it. If the publish fails the run is still stored, and the sweeper re-sends it.
    /// </summary>
    public static async Task<IResult> CreateRun([AsParameters] GatewayServices s, RunSignals signals, ILogger<GatewayServices> logger)
    {
        var (body, error) = await BodyReader.ReadObjectAsync(s.Http.Request);
        if (body is null)
            return error!;
        var reader = new BodyReader();
        reader.RejectUnknownKeys(body, ["workflow_id", "scope"]);
        var workflowId = reader.RequiredString(body, "workflow_id");
        var scope = ScopeParsing.Parse(reader, body);
        if (reader.HasErrors)
            return ApiErrors.Validation(reader.Errors);

        var limits = s.Limits.Value;
        // A soft quota: two requests racing past it together both get in, which bounds the overshoot by the
        // gateway's concurrency; what it guards against is one organization queueing without end.
        if (limits.MaxRunsInProgressPerOrganization > 0 && await s.Runs.CountRunsInProgressAsync(s.OrganizationId, s.Aborted) >= limits.MaxRunsInProgressPerOrganization)
        {
            s.Http.Response.Headers.RetryAfter = "10";
            return ApiErrors.Error(StatusCodes.Status429TooManyRequests, RunErrorCodes.TooManyRunsInProgress,
                $"Your organization has {limits.MaxRunsInProgressPerOrganization} runs in progress, the most it may have (setting Limits:MaxRunsInProgressPerOrganization); wait for one to end or cancel one.");
        }

        // Counts and existence only: the orchestrator reads the tests, a chunk at a time, when it plans the run.
        var (counted, planError) = await s.PlanLoader.CountAsync(s.OrganizationId, workflowId!, scope!, limits.MaxTestsPerRun, s.Aborted);
        if (counted is null)
            return planError!.Code switch
            {
                RunErrorCodes.NoTestsInScope or RunErrorCodes.TooManyTests => ApiErrors.Error(StatusCodes.Status422UnprocessableEntity, planError.Code, planError.Message),
                RunErrorCodes.RunInProgress => ApiErrors.Conflict(planError.Code, planError.Message),
                _ => ApiErrors.NotFound(planError.Code, planError.Message),
            };

        var now = Clock.Now(s.Time);
        var run = RunDocuments.Pending(ResourceIds.New(ResourceIds.Run, now), s.OrganizationId, counted, RunDocuments.ApiTrigger, now);
        await s.Runs.InsertRunAsync(run, s.Aborted);
        signals.Created(run);
        try
        {
            await s.Publisher.Publish(s.Publish, RunCommands.Create(run), s.Aborted);
        }
        catch (Exception publishError) when (publishError is not OperationCanceledException)
        {
            logger.LogWarning(publishError, "Run {RunId} stored but not handed to the orchestrator yet; the sweeper will re-send it", run.Id);
        }
        return Results.Created($"/v1/workflows/tests/runs/{run.Id}", await s.ReadModels.RunAsync(run, s.Aborted));
    }

    /// <summary>The run; asked with <c>Accept: text/event-stream</c>, its live events (<see cref="StreamRunEvents"/>).</summary>
    public static async Task<IResult> GetRun(string run_id, [AsParameters] GatewayServices s, RunEventStream events)
    {
        if (s.Http.Request.GetTypedHeaders().Accept.Any(type => type.MediaType.Equals(TextEventStream, StringComparison.OrdinalIgnoreCase)))
            return await StreamRunEvents(run_id, s, events);
        return await s.Runs.GetRunAsync(s.OrganizationId, run_id, s.Aborted) is { } run
            ? Results.Ok(await s.ReadModels.RunAsync(run, s.Aborted))
            : RunNotFound(run_id);
    }

    private const string TextEventStream = "text/event-stream";

    private const string RunEventsDescription =
        "Server-Sent Events: `progress` (lifecycle, counts, timing) first and whenever they change, at most about ten a " +
        "second; with `results=true` a `result` event (the result resource) per test that ended; `heartbeat` every 15 s " +
        "while nothing changes; then one final event named after the run's terminal status (`completed`, `cancelled`, " +
        "`error`) carrying the run resource, and the end of the stream. Every event's `id` is a cursor: reconnecting with " +
        "`Last-Event-ID` skips the results sent before it (results that ended out of order may come again; dedupe by id).";

    public static async Task<IResult> StreamRunEvents(string run_id, [AsParameters] GatewayServices s, RunEventStream events)
    {
        var query = new QueryReader(s.Http.Request.Query);
        var withResults = query.Bool("results") ?? false;
        if (query.HasErrors)
            return ApiErrors.Validation(query.Errors);
        if (await s.Runs.GetRunAsync(s.OrganizationId, run_id, s.Aborted) is not { } run)
            return RunNotFound(run_id);
        if (RunEventCursor.Parse(s.Http.Request.Headers["Last-Event-ID"].ToString(), run.Id) is not { } cursor)
            return ApiErrors.Validation(new FieldError(["header", "Last-Event-ID"],
                "Input should be the id of an event of this run's stream", "value_error"));
        // Proxies that buffer (nginx) would hold the events back until the stream ends.
        s.Http.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(events.ReadAsync(run, withResults, cursor, s.Aborted));
    }

    public static async Task<IResult> ListRuns([AsParameters] GatewayServices s)
    {
        var query = new QueryReader(s.Http.Request.Query);
        var filter = new RunQuery(
            query.String("workflow_id"),
            query.String("test_id"),
            query.String("target_block_id"),
            query.Enum<RunStatus>("status"),
            query.Enum<RunStatus>("exclude_status"),
            query.String("trigger_type"),
            query.Date("from_date"),
            query.Date("to_date"));
        var page = query.Page();
        if (query.HasErrors)
            return ApiErrors.Validation(query.Errors);
        var runs = await s.Runs.ListRunsAsync(s.OrganizationId, filter, page, s.Aborted);
        return Results.Ok(new ListResponse<RunResponse>(await s.ReadModels.RunsAsync(runs.Data, s.Aborted), new ListMetadata(runs.Before, runs.After)));
    }

    /// <summary>
    /// Asks the run saga to cancel (the orchestrator makes every move of a run), then answers with the run once the
    /// saga has moved it: 200 cancelled, or 409 if it ended otherwise first. If the orchestrator has not acted within
    /// <see cref="CancelWait"/> (it is restarting, say) the request stays queued and the answer is 202 with the run as it is.
    /// </summary>
    public static async Task<IResult> CancelRun(string run_id, [AsParameters] GatewayServices s, ILogger<GatewayServices> logger)
    {
        var (body, error) = await BodyReader.ReadObjectAsync(s.Http.Request, optional: true);
        if (body is null)
            return error!;
        var reader = new BodyReader();
        reader.RejectUnknownKeys(body, ["reason"]);
        var reason = reader.OptionalString(body, "reason");
        if (reader.HasErrors)
            return ApiErrors.Validation(reader.Errors);

        var run = await s.Runs.GetRunAsync(s.OrganizationId, run_id, s.Aborted);
        if (run is null)
            return RunNotFound(run_id);
        if (RunLifecycle.IsTerminal(run.Status))
            return NotCancellable(run);
        try
        {
            await s.Publisher.Publish(s.Publish, RunCommands.Cancel(run, reason), s.Aborted);
        }
        catch (TimeoutException unreachable)
        {
            logger.LogWarning(unreachable, "Cancelling run {RunId}: the broker did not take the request", run.Id);
            s.Http.Response.Headers.RetryAfter = "5";
            return ApiErrors.Error(StatusCodes.Status503ServiceUnavailable, RunErrorCodes.BrokerUnavailable,
                "The request to cancel could not be handed to the orchestrator; retry it.");
        }

        var current = await WaitUntilEndedAsync(s, run);
        return current.Status switch
        {
            RunStatus.Cancelled => Results.Ok(await s.ReadModels.RunAsync(current, s.Aborted)),
            _ when RunLifecycle.IsTerminal(current.Status) => NotCancellable(current),
            _ => Results.Accepted($"/v1/workflows/tests/runs/{current.Id}", await s.ReadModels.RunAsync(current, s.Aborted)),
        };
    }

    /// <summary>How long a cancel request waits for the orchestrator to move the run.</summary>
    public static readonly TimeSpan CancelWait = TimeSpan.FromSeconds(5);

    private static async Task<TestRun> WaitUntilEndedAsync(GatewayServices s, TestRun run)
    {
        var giveUpAt = s.Time.GetUtcNow() + CancelWait;
        while (!RunLifecycle.IsTerminal(run.Status) && s.Time.GetUtcNow() < giveUpAt)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), s.Time, s.Aborted);
            run = await s.Runs.GetRunAsync(run.OrganizationId, run.Id, s.Aborted) ?? run;
        }
        return run;
    }

    private static IResult NotCancellable(TestRun run) =>
        ApiErrors.Conflict(RunErrorCodes.RunNotCancellable, $"Run '{run.Id}' is already {run.Status.ToString().ToLowerInvariant()}.");

    public static IResult RunNotFound(string runId) => ApiErrors.NotFound(RunErrorCodes.RunNotFound, $"Test run '{runId}' does not exist.");
}
