using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Execution;

/// <summary>
/// What a block produced: <see cref="Outputs"/> maps output handle → data. <see cref="Failure"/> is set when the
/// user's block itself failed (JS threw, time limit, model garbage): the test then completes as blocked.
/// </summary>
public sealed record BlockExecutionResult(IReadOnlyDictionary<string, JsonNode?> Outputs, string? Failure = null, IReadOnlyList<string>? Warnings = null)
{
    public static BlockExecutionResult Failed(string message) => new(new Dictionary<string, JsonNode?>(), message);
}
