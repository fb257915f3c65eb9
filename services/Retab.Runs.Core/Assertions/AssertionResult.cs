using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions;

/// <summary>The evaluation of one assertion, with what a user needs to see why.</summary>
public sealed record AssertionResult
{
    public required string AssertionId { get; init; }
    public required string ConditionKind { get; init; }
    public required AssertionOutcome Outcome { get; init; }
    public JsonNode? ActualValue { get; init; }
    public JsonNode? ExpectedValue { get; init; }
    public double? Score { get; init; }
    public double? Threshold { get; init; }
    public string? MetricKind { get; init; }
    public string? AssertionLabel { get; init; }
    public AssertionFailure? Failure { get; init; }
}
