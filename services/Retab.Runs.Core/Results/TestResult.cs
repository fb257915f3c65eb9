using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Results;

/// <summary>
/// The result slot of one test in one run, created when the run is planned. It holds the snapshot the
/// worker executes (block, inputs, assertion) and, once finished, what came out. Its status only moves forward.
/// </summary>
public sealed record TestResult
{
    public required string Id { get; init; }
    public required string RunId { get; init; }
    public required string OrganizationId { get; init; }
    public required string WorkflowId { get; init; }
    public required string TestId { get; init; }
    public required string BlockId { get; init; }
    public required string BlockType { get; init; }
    public string? BlockName { get; init; }
    public required JsonObject BlockConfig { get; init; }
    public required JsonObject HandleInputs { get; init; }
    public required Assertion Assertion { get; init; }
    public required ResultFingerprints Fingerprints { get; init; }

    public required SlotStatus Status { get; init; }
    public Verdict? Verdict { get; init; }
    public int Attempt { get; init; } = 1;
    public DateTimeOffset Deadline { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string? WorkerId { get; init; }
    public string? EngineVersion { get; init; }

    public JsonObject? HandleOutputs { get; init; }
    public AssertionResult? AssertionResult { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The output handles a classifier or split routed to.</summary>
    public JsonArray? RoutingDecisions { get; init; }

    /// <summary><c>{likelihoods}</c> when the block voted over several model answers (<c>n_consensus</c>).</summary>
    public JsonObject? Consensus { get; init; }
    public SlotError? Error { get; init; }

    /// <summary>True when a worker reported after the slot was cancelled: the output is kept, the counts are not touched.</summary>
    public bool ArrivedAfterCancel { get; init; }

    public long? DurationMs => StartedAt is { } started && CompletedAt is { } completed
        ? (long)(completed - started).TotalMilliseconds
        : null;
}
