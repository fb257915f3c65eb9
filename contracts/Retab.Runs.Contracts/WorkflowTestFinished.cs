using System.Text.Json;

namespace Retab.Runs.Contracts;

/// <summary>A worker finished one test: <c>completed</c> with a verdict, or <c>error</c> when the infrastructure could not run it.</summary>
public sealed record WorkflowTestFinished
{
    public required string RunId { get; init; }
    public required string OrganizationId { get; init; }
    public required string TestId { get; init; }
    public required string ResultId { get; init; }
    public int Attempt { get; init; } = 1;

    /// <summary><c>completed</c> or <c>error</c>.</summary>
    public required string Lifecycle { get; init; }

    /// <summary><c>passed</c>, <c>failed</c> or <c>blocked</c>; set only when completed.</summary>
    public string? Verdict { get; init; }

    /// <summary><c>{handle_id: {type: "json", data}}</c>.</summary>
    public JsonElement? HandleOutputs { get; init; }

    /// <summary>The assertion result in its public JSON shape.</summary>
    public JsonElement? AssertionResult { get; init; }

    /// <summary>The output handles a classifier or split routed to: <c>[{handle_id, …}]</c>.</summary>
    public JsonElement? RoutingDecisions { get; init; }

    /// <summary>With <c>n_consensus</c> &gt; 1: <c>{likelihoods}</c>, the share of votes behind each output leaf.</summary>
    public JsonElement? Consensus { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];
    public ExecutionError? Error { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset CompletedAt { get; init; }
    public required string WorkerId { get; init; }
    public string? EngineVersion { get; init; }
}
