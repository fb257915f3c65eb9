using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Execution;

/// <summary>
/// What a block produced: <see cref="Outputs"/> maps output handle → data. <see cref="Failure"/> is set when the
/// user's block itself failed (JS threw, time limit, model garbage): the test then completes as blocked.
/// </summary>
public sealed record BlockExecutionResult(IReadOnlyDictionary<string, JsonNode?> Outputs, string? Failure = null, IReadOnlyList<string>? Warnings = null)
{
    private static readonly IReadOnlySet<string> NoHandles = new HashSet<string>();

    /// <summary>
    /// Handles of <see cref="Outputs"/> whose data is a document reference (<c>{id, filename, mime_type}</c>): they
    /// appear as <c>{type: "file", document}</c> in the result, and assertions see the reference as their data.
    /// </summary>
    public IReadOnlySet<string> FileHandles { get; init; } = NoHandles;

    /// <summary>Which output handles the block routed to (classifier, split), as the result's <c>routing_decisions</c>.</summary>
    public JsonArray? RoutingDecisions { get; init; }

    /// <summary>With <c>n_consensus</c> &gt; 1: <c>{likelihoods}</c>, the share of votes behind each leaf of the output.</summary>
    public JsonObject? Consensus { get; init; }

    /// <summary>
    /// With <see cref="Failure"/>: the failure code of the blocked result, when something more precise than
    /// <c>block_execution_failed</c> applies (<c>timeout</c>, <c>output_too_large</c>, <c>output_too_deep</c>).
    /// </summary>
    public string? FailureCode { get; init; }

    /// <summary>With <see cref="Failure"/>: what helps the user see why (the model's raw text, bounded).</summary>
    public JsonObject? FailureDetails { get; init; }

    public static BlockExecutionResult Failed(string message, JsonObject? details = null) =>
        new(new Dictionary<string, JsonNode?>(), message) { FailureDetails = details };

    public static BlockExecutionResult FailedWith(string code, string message) =>
        new(new Dictionary<string, JsonNode?>(), message) { FailureCode = code };
}
