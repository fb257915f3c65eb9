using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Common;

namespace Retab.Runs.Core.Tests;

/// <summary>
/// A saved test: frozen inputs of one block plus one assertion about its output.
/// <see cref="Source"/> is the source as the client gave it; <see cref="HandleInputs"/> the inputs
/// it resolves to (<c>{handle_id: {type: "json", data} | {type: "file", document}}</c>).
/// </summary>
public sealed record WorkflowTest
{
    public required string Id { get; init; }
    public required string OrganizationId { get; init; }
    public required string WorkflowId { get; init; }
    public required string TargetBlockId { get; init; }
    public string? Name { get; init; }
    public required JsonObject Source { get; init; }
    public required JsonObject HandleInputs { get; init; }
    public required Assertion Assertion { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    public string HandleInputsFingerprint => CanonicalJson.Fingerprint(HandleInputs);
}
