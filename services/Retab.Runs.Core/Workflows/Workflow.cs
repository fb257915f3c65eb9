using System.Text.Json.Nodes;
using Retab.Runs.Core.Common;

namespace Retab.Runs.Core.Workflows;

/// <summary>
/// A workflow and its current draft. Every draft change bumps <see cref="DraftNumber"/> (version id
/// <c>draft_&lt;n&gt;</c>) and recomputes the draft fingerprint.
/// </summary>
public sealed record Workflow
{
    public required string Id { get; init; }
    public required string OrganizationId { get; init; }
    public required string Name { get; init; }
    public required IReadOnlyList<Block> Blocks { get; init; }
    public int DraftNumber { get; init; } = 1;
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// Last time a test of this workflow was created, deleted or had its inputs changed. A run created after it
    /// cannot have stale inputs, which spares reading every test when a run is read (runs are polled).
    /// </summary>
    public DateTimeOffset TestsChangedAt { get; init; }

    public string VersionId => $"draft_{DraftNumber}";

    /// <summary>Hash of the canonical JSON of all blocks (id, type, name, config) in draft order.</summary>
    public string DraftFingerprint => CanonicalJson.Fingerprint(new JsonArray(
        Blocks.Select(b => (JsonNode)new JsonObject
        {
            ["id"] = b.Id,
            ["type"] = b.Type,
            ["name"] = b.Name,
            ["config"] = b.Config.DeepClone(),
        }).ToArray()));

    public Block? FindBlock(string blockId) => Blocks.FirstOrDefault(b => b.Id == blockId);

    public Workflow WithDraft(IReadOnlyList<Block> blocks, DateTimeOffset at) =>
        this with { Blocks = blocks, DraftNumber = DraftNumber + 1, UpdatedAt = at };
}
