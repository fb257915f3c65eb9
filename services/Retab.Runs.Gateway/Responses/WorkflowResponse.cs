using System.Text.Json.Nodes;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Gateway.Responses;

public sealed record WorkflowResponse(
    string Id,
    string Object,
    string Name,
    string VersionId,
    string DraftFingerprint,
    WorkflowDraftResponse Draft,
    IReadOnlyList<BlockResponse> Blocks,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static WorkflowResponse From(Workflow workflow)
    {
        var blocks = workflow.Blocks.Select(BlockResponse.From).ToList();
        var fingerprint = workflow.DraftFingerprint;
        return new(workflow.Id, "workflow", workflow.Name, workflow.VersionId, fingerprint,
            new WorkflowDraftResponse(workflow.VersionId, fingerprint, blocks), blocks, workflow.CreatedAt, workflow.UpdatedAt);
    }
}

public sealed record WorkflowDraftResponse(string VersionId, string Fingerprint, IReadOnlyList<BlockResponse> Blocks);

public sealed record BlockResponse(string Id, string Type, string Name, JsonObject Config, string ConfigFingerprint)
{
    public static BlockResponse From(Block block) => new(block.Id, block.Type, block.Name, block.Config, block.ConfigFingerprint);
}
