using Retab.Runs.Core.Common;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Workflows;
using Retab.Runs.Gateway.Http;
using Retab.Runs.Gateway.OpenApi;
using Retab.Runs.Gateway.OpenApi.Bodies;
using Retab.Runs.Gateway.Requests;
using Retab.Runs.Gateway.Responses;

namespace Retab.Runs.Gateway.Apis;

/// <summary>Workflows and their drafts (DESIGN §3.2).</summary>
public static class WorkflowsApi
{
    public static RouteGroupBuilder MapWorkflowsApi(this RouteGroupBuilder v1)
    {
        var api = v1.MapGroup("/workflows").WithTags("Workflows");
        api.MapPost("/", CreateWorkflow).WithName("create_workflow").WithSummary("Create a workflow")
            .AcceptsJson<CreateWorkflowRequest>().Produces<WorkflowResponse>(StatusCodes.Status201Created);
        api.MapGet("/", ListWorkflows).WithName("list_workflows").WithSummary("List workflows")
            .WithQuery(QueryParameters.Page).Produces<ListResponse<WorkflowResponse>>().ProducesValidationError();
        api.MapGet("/{workflow_id}", GetWorkflow).WithName("get_workflow").WithSummary("Get a workflow")
            .Produces<WorkflowResponse>().ProducesError(StatusCodes.Status404NotFound, RunErrorCodes.WorkflowNotFound);
        api.MapDelete("/{workflow_id}", DeleteWorkflow).WithName("delete_workflow").WithSummary("Delete a workflow")
            .Produces(StatusCodes.Status204NoContent).ProducesError(StatusCodes.Status404NotFound, RunErrorCodes.WorkflowNotFound);
        api.MapPut("/{workflow_id}/draft", ReplaceDraft).WithName("replace_workflow_draft").WithSummary("Replace the draft's blocks")
            .AcceptsJson<ReplaceDraftRequest>().Produces<WorkflowResponse>()
            .ProducesError(StatusCodes.Status404NotFound, RunErrorCodes.WorkflowNotFound).ProducesError(StatusCodes.Status409Conflict, "draft_conflict");
        api.MapPatch("/{workflow_id}/blocks/{block_id}", UpdateBlock).WithName("update_workflow_block").WithSummary("Change one block of the draft")
            .AcceptsJson<UpdateBlockRequest>().Produces<WorkflowResponse>()
            .ProducesError(StatusCodes.Status404NotFound, RunErrorCodes.WorkflowNotFound, RunErrorCodes.BlockNotFound).ProducesError(StatusCodes.Status409Conflict, "draft_conflict");
        return v1;
    }

    public static async Task<IResult> CreateWorkflow([AsParameters] GatewayServices s)
    {
        var (body, error) = await BodyReader.ReadObjectAsync(s.Http.Request);
        if (body is null)
            return error!;
        var reader = new BodyReader();
        reader.RejectUnknownKeys(body, ["name", "blocks"]);
        var name = reader.RequiredString(body, "name");
        var items = reader.RequiredArray(body, "blocks");
        var blocks = items is null ? [] : BlockParsing.ParseBlocks(reader, items, "blocks");
        if (reader.HasErrors)
            return ApiErrors.Validation(reader.Errors);

        var now = Clock.Now(s.Time);
        var workflow = new Workflow
        {
            Id = ResourceIds.New(ResourceIds.Workflow, now),
            OrganizationId = s.OrganizationId,
            Name = name!,
            Blocks = blocks,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await s.Workflows.InsertAsync(workflow, s.Aborted);
        return Results.Created($"/v1/workflows/{workflow.Id}", WorkflowResponse.From(workflow));
    }

    public static async Task<IResult> ListWorkflows([AsParameters] GatewayServices s)
    {
        var query = new QueryReader(s.Http.Request.Query);
        var page = query.Page();
        if (query.HasErrors)
            return ApiErrors.Validation(query.Errors);
        var workflows = await s.Workflows.ListAsync(s.OrganizationId, page, s.Aborted);
        return Results.Ok(ListResponse<WorkflowResponse>.From(workflows, WorkflowResponse.From));
    }

    public static async Task<IResult> GetWorkflow(string workflow_id, [AsParameters] GatewayServices s) =>
        await s.Workflows.GetAsync(s.OrganizationId, workflow_id, s.Aborted) is { } workflow
            ? Results.Ok(WorkflowResponse.From(workflow))
            : WorkflowNotFound(workflow_id);

    public static async Task<IResult> DeleteWorkflow(string workflow_id, [AsParameters] GatewayServices s) =>
        await s.Workflows.DeleteAsync(s.OrganizationId, workflow_id, s.Aborted)
            ? Results.NoContent()
            : WorkflowNotFound(workflow_id);

    public static async Task<IResult> ReplaceDraft(string workflow_id, [AsParameters] GatewayServices s)
    {
        var (body, error) = await BodyReader.ReadObjectAsync(s.Http.Request);
        if (body is null)
            return error!;
        var reader = new BodyReader();
        reader.RejectUnknownKeys(body, ["blocks"]);
        var items = reader.RequiredArray(body, "blocks");
        var blocks = items is null ? [] : BlockParsing.ParseBlocks(reader, items, "blocks");
        if (reader.HasErrors)
            return ApiErrors.Validation(reader.Errors);
        return await ChangeDraftAsync(workflow_id, s, _ => blocks);
    }

    public static async Task<IResult> UpdateBlock(string workflow_id, string block_id, [AsParameters] GatewayServices s)
    {
        var (body, error) = await BodyReader.ReadObjectAsync(s.Http.Request);
        if (body is null)
            return error!;
        var reader = new BodyReader();
        reader.RejectUnknownKeys(body, ["name", "config"]);
        var name = reader.OptionalString(body, "name");
        var config = reader.OptionalObject(body, "config");
        if (reader.HasErrors)
            return ApiErrors.Validation(reader.Errors);

        var workflow = await s.Workflows.GetAsync(s.OrganizationId, workflow_id, s.Aborted);
        if (workflow is null)
            return WorkflowNotFound(workflow_id);
        if (workflow.FindBlock(block_id) is not { } block)
            return ApiErrors.NotFound(RunErrorCodes.BlockNotFound, $"Block '{block_id}' does not exist in the draft of workflow '{workflow_id}'.");
        if (config is not null && block.Type == BlockTypes.Function)
        {
            BlockParsing.ValidateFunctionConfig(reader, config, ["config"]);
            if (reader.HasErrors)
                return ApiErrors.Validation(reader.Errors);
        }
        var updated = block with { Name = name ?? block.Name, Config = config?.DeepClone().AsObject() ?? block.Config };
        return await ChangeDraftAsync(workflow_id, s, blocks => blocks.Select(b => b.Id == block_id ? updated : b).ToList());
    }

    /// <summary>Every draft change is a new version; a concurrent change to the same workflow is a 409, never a lost update.</summary>
    private static async Task<IResult> ChangeDraftAsync(string workflowId, GatewayServices s, Func<IReadOnlyList<Block>, IReadOnlyList<Block>> change)
    {
        var workflow = await s.Workflows.GetAsync(s.OrganizationId, workflowId, s.Aborted);
        if (workflow is null)
            return WorkflowNotFound(workflowId);
        var next = workflow.WithDraft(change(workflow.Blocks), Clock.Now(s.Time));
        return await s.Workflows.ReplaceAsync(next, workflow.DraftNumber, s.Aborted)
            ? Results.Ok(WorkflowResponse.From(next))
            : ApiErrors.Conflict("draft_conflict", "The draft changed while this request was applied; read it again and retry.");
    }

    public static IResult WorkflowNotFound(string workflowId) =>
        ApiErrors.NotFound(RunErrorCodes.WorkflowNotFound, $"Workflow '{workflowId}' does not exist.");
}
