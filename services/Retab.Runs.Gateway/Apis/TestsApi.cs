using System.Text.Json.Nodes;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Validation;
using Retab.Runs.Gateway.Http;
using Retab.Runs.Gateway.OpenApi;
using Retab.Runs.Gateway.OpenApi.Bodies;
using Retab.Runs.Gateway.Requests;
using Retab.Runs.Gateway.Responses;

namespace Retab.Runs.Gateway.Apis;

/// <summary>Saved tests (DESIGN §3.3).</summary>
public static class TestsApi
{
    private static readonly string[] CreateKeys = ["workflow_id", "target", "source", "assertion", "name"];
    private static readonly string[] PatchKeys = ["name", "assertion", "source", "target"];

    public static RouteGroupBuilder MapTestsApi(this RouteGroupBuilder v1)
    {
        var api = v1.MapGroup("/workflows/tests").WithTags("Tests");
        api.MapPost("/", CreateTest).WithName("create_workflow_test").WithSummary("Create a test")
            .AcceptsJson<CreateWorkflowTestRequest>().Produces<TestResponse>(StatusCodes.Status201Created)
            .ProducesError(StatusCodes.Status404NotFound, RunErrorCodes.WorkflowNotFound, RunErrorCodes.BlockNotFound);
        api.MapGet("/", ListTests).WithName("list_workflow_tests").WithSummary("List a workflow's tests")
            .WithQuery([QueryParameters.RequiredWorkflowId, QueryParameters.TargetBlockId, QueryParameters.Flaky, .. QueryParameters.Page])
            .Produces<ListResponse<TestResponse>>().ProducesError(StatusCodes.Status404NotFound, RunErrorCodes.WorkflowNotFound).ProducesValidationError();
        api.MapGet("/{test_id}", GetTest).WithName("get_workflow_test").WithSummary("Get a test")
            .Produces<TestResponse>().ProducesError(StatusCodes.Status404NotFound, RunErrorCodes.TestNotFound);
        api.MapPatch("/{test_id}", UpdateTest).WithName("update_workflow_test").WithSummary("Update a test")
            .AcceptsJson<UpdateWorkflowTestRequest>().Produces<TestResponse>().ProducesError(StatusCodes.Status404NotFound, RunErrorCodes.TestNotFound);
        api.MapDelete("/{test_id}", DeleteTest).WithName("delete_workflow_test").WithSummary("Delete a test")
            .Produces(StatusCodes.Status204NoContent).ProducesError(StatusCodes.Status404NotFound, RunErrorCodes.TestNotFound);
        return v1;
    }

    public static async Task<IResult> CreateTest([AsParameters] GatewayServices s)
    {
        var (body, error) = await BodyReader.ReadObjectAsync(s.Http.Request);
        if (body is null)
            return error!;
        var reader = new BodyReader();
        reader.RejectUnknownKeys(body, CreateKeys);
        var workflowId = reader.RequiredString(body, "workflow_id");
        var blockId = ReadTarget(reader, body);
        var name = reader.OptionalString(body, "name");
        var source = reader.RequiredObject(body, "source") is { } sourceBody ? TestParsing.ParseSource(reader, sourceBody, s.Limits.Value.MaxTestInputBytes) : null;
        var assertion = reader.RequiredObject(body, "assertion") is { } assertionBody ? TestParsing.ParseAssertion(reader, assertionBody) : null;
        if (reader.HasErrors)
            return ApiErrors.Validation(reader.Errors);

        var workflow = await s.Workflows.GetAsync(s.OrganizationId, workflowId!, s.Aborted);
        if (workflow is null)
            return WorkflowsApi.WorkflowNotFound(workflowId!);
        if (workflow.FindBlock(blockId!) is null)
            return ApiErrors.NotFound(RunErrorCodes.BlockNotFound, $"Block '{blockId}' does not exist in the draft of workflow '{workflowId}'.");
        var inputs = await ResolveInputsAsync(source!, blockId!, s);
        if (inputs is null)
            return ApiErrors.Validation(new FieldError(["body", "source", "run_id"], $"No result '{source!.RunId}' with inputs for block '{blockId}' exists.", "value_error"));
        if (await UnknownFilesAsync(source!, s) is { } unknownFiles)
            return unknownFiles;

        var now = Clock.Now(s.Time);
        var test = new WorkflowTest
        {
            Id = ResourceIds.New(ResourceIds.Test, now),
            OrganizationId = s.OrganizationId,
            WorkflowId = workflow.Id,
            TargetBlockId = blockId!,
            Name = name,
            Source = source!.Source,
            HandleInputs = inputs,
            Assertion = assertion!,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await s.Tests.InsertAsync(test, s.Aborted);
        await s.Workflows.MarkTestsChangedAsync(s.OrganizationId, workflow.Id, Clock.Now(s.Time), s.Aborted);
        return Results.Created($"/v1/workflows/tests/{test.Id}", await s.ReadModels.TestAsync(test, workflow, s.Aborted));
    }

    public static async Task<IResult> ListTests([AsParameters] GatewayServices s)
    {
        var query = new QueryReader(s.Http.Request.Query);
        var workflowId = query.RequiredString("workflow_id");
        var blockId = query.String("target_block_id");
        var flaky = query.Bool("flaky");
        var page = query.Page();
        if (query.HasErrors)
            return ApiErrors.Validation(query.Errors);
        var workflow = await s.Workflows.GetAsync(s.OrganizationId, workflowId!, s.Aborted);
        if (workflow is null)
            return WorkflowsApi.WorkflowNotFound(workflowId!);
        if (flaky is { } wanted)
        {
            var filtered = await FlakyTestPages.ReadAsync(s, workflow, blockId, wanted, page);
            return Results.Ok(new ListResponse<TestResponse>(filtered.Data, new ListMetadata(filtered.Before, filtered.After)));
        }

        var tests = await s.Tests.ListAsync(s.OrganizationId, workflowId!, blockId, page, s.Aborted);
        var data = new List<TestResponse>(tests.Data.Count);
        foreach (var test in tests.Data)
            data.Add(await s.ReadModels.TestAsync(test, workflow, s.Aborted));
        return Results.Ok(new ListResponse<TestResponse>(data, new ListMetadata(tests.Before, tests.After)));
    }

    public static async Task<IResult> GetTest(string test_id, [AsParameters] GatewayServices s)
    {
        var test = await s.Tests.GetAsync(s.OrganizationId, test_id, s.Aborted);
        if (test is null)
            return TestNotFound(test_id);
        var workflow = await s.Workflows.GetAsync(s.OrganizationId, test.WorkflowId, s.Aborted);
        return Results.Ok(await s.ReadModels.TestAsync(test, workflow, s.Aborted));
    }

    public static async Task<IResult> UpdateTest(string test_id, [AsParameters] GatewayServices s)
    {
        var (body, error) = await BodyReader.ReadObjectAsync(s.Http.Request);
        if (body is null)
            return error!;
        var test = await s.Tests.GetAsync(s.OrganizationId, test_id, s.Aborted);
        if (test is null)
            return TestNotFound(test_id);

        var reader = new BodyReader();
        reader.RejectUnknownKeys(body, PatchKeys);
        if (body.ContainsKey("target"))
            reader.Add(new FieldError(["body", "target"], "The target of a test cannot change; create a new test instead", "immutable"));
        foreach (var key in new[] { "assertion", "source" }.Where(k => TestParsing.IsExplicitNull(body, k)))
            reader.Add(new FieldError(["body", key], "Input should be a valid dictionary", "dict_type"));
        var name = reader.OptionalString(body, "name");
        var assertion = reader.OptionalObject(body, "assertion") is { } assertionBody
            ? TestParsing.ParseAssertion(reader, assertionBody, test.Assertion.Id)
            : null;
        var source = reader.OptionalObject(body, "source") is { } sourceBody ? TestParsing.ParseSource(reader, sourceBody, s.Limits.Value.MaxTestInputBytes) : null;
        if (reader.HasErrors)
            return ApiErrors.Validation(reader.Errors);

        JsonObject? inputs = null;
        if (source is not null && (inputs = await ResolveInputsAsync(source, test.TargetBlockId, s)) is null)
            return ApiErrors.Validation(new FieldError(["body", "source", "run_id"], $"No result '{source.RunId}' with inputs for block '{test.TargetBlockId}' exists.", "value_error"));
        if (source is not null && await UnknownFilesAsync(source, s) is { } unknownFiles)
            return unknownFiles;

        var updated = test with
        {
            Name = body.ContainsKey("name") ? name : test.Name,
            Assertion = assertion ?? test.Assertion,
            Source = source?.Source ?? test.Source,
            HandleInputs = inputs ?? test.HandleInputs,
            UpdatedAt = Clock.Now(s.Time),
        };
        if (!await s.Tests.ReplaceAsync(updated, s.Aborted))
            return TestNotFound(test_id);
        if (inputs is not null)
            await s.Workflows.MarkTestsChangedAsync(s.OrganizationId, test.WorkflowId, Clock.Now(s.Time), s.Aborted);
        var workflow = await s.Workflows.GetAsync(s.OrganizationId, test.WorkflowId, s.Aborted);
        return Results.Ok(await s.ReadModels.TestAsync(updated, workflow, s.Aborted));
    }

    public static async Task<IResult> DeleteTest(string test_id, [AsParameters] GatewayServices s)
    {
        var test = await s.Tests.GetAsync(s.OrganizationId, test_id, s.Aborted);
        if (test is null || !await s.Tests.DeleteAsync(s.OrganizationId, test_id, s.Aborted))
            return TestNotFound(test_id);
        await s.Workflows.MarkTestsChangedAsync(s.OrganizationId, test.WorkflowId, Clock.Now(s.Time), s.Aborted);
        return Results.NoContent();
    }

    public static IResult TestNotFound(string testId) => ApiErrors.NotFound(RunErrorCodes.TestNotFound, $"Test '{testId}' does not exist.");

    /// <summary><c>target: {type: "block", block_id}</c>.</summary>
    private static string? ReadTarget(BodyReader reader, JsonObject body)
    {
        if (reader.RequiredObject(body, "target") is not { } target)
            return null;
        reader.RejectUnknownKeys(target, ["type", "block_id"], "target");
        var type = reader.RequiredString(target, "type", "target");
        if (type is not null and not "block")
            reader.Add(new FieldError(["body", "target", "type"], "Input should be 'block'", "literal_error"));
        return reader.RequiredString(target, "block_id", "target");
    }

    /// <summary>
    /// A 422 naming every manual file input whose document is not a complete file of the caller's organization, like
    /// any other reference a test makes (a worker could not read it; another organization's file stays invisible).
    /// </summary>
    private static async Task<IResult?> UnknownFilesAsync(SourceRequest source, GatewayServices s)
    {
        var errors = new List<FieldError>();
        foreach (var (handle, fileId) in TestParsing.FileReferences(source))
        {
            if (await s.Files.GetAsync(s.OrganizationId, fileId, s.Aborted) is not { IsComplete: true })
                errors.Add(new FieldError(["body", "source", "handle_inputs", handle, "document", "id"], $"No uploaded file '{fileId}' exists.", "value_error"));
        }
        return errors.Count > 0 ? ApiErrors.Validation(errors) : null;
    }

    /// <summary>
    /// Manual inputs as given; a <c>run_step</c> source copies the inputs its block received in an earlier result
    /// (<c>run_id</c> names a result, or a run plus an optional <c>step_id</c> naming the test). Null when nothing matches.
    /// </summary>
    private static async Task<JsonObject?> ResolveInputsAsync(SourceRequest source, string blockId, GatewayServices s)
    {
        if (source.ManualInputs is { } manual)
            return manual;
        var result = ResourceIds.HasPrefix(source.RunId, ResourceIds.Result)
            ? await s.Runs.GetResultAsync(s.OrganizationId, source.RunId!, s.Aborted)
            : source.StepId is { } stepId
                ? await s.Runs.GetResultByTestAsync(s.OrganizationId, source.RunId!, stepId, s.Aborted)
                : (await s.Runs.ListResultsAsync(s.OrganizationId, new ResultQuery(source.RunId!), new PageRequest(PageRequest.MaxLimit, Order: SortOrder.Asc), s.Aborted))
                    .Data.FirstOrDefault(r => r.BlockId == blockId);
        return result is not null && result.BlockId == blockId ? result.HandleInputs.DeepClone().AsObject() : null;
    }
}
