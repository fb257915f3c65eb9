using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Freshness;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Gateway.Responses;

/// <summary>A saved test with its read-model fields: drift, validation, freshness and the latest run summaries.</summary>
public sealed record TestResponse(
    string Id,
    string Object,
    string WorkflowId,
    TargetResponse Target,
    string? Name,
    JsonObject Source,
    JsonObject HandleInputs,
    Assertion Assertion,
    string SchemaDrift,
    string ValidationStatus,
    IReadOnlyList<ValidationIssueResponse> ValidationIssues,
    FreshnessResponse Freshness,
    RunSummaryResponse? LatestRunSummary,
    RunSummaryResponse? LatestPassingRunSummary,
    RunSummaryResponse? LatestFailingRunSummary,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static TestResponse From(WorkflowTest test, Workflow? workflow, TestResult? latest, TestResult? latestPassing, TestResult? latestFailing)
    {
        var block = workflow?.FindBlock(test.TargetBlockId);
        IReadOnlyList<ValidationIssueResponse> issues = block is null
            ? [new ValidationIssueResponse("block_not_found", $"Block '{test.TargetBlockId}' is not in the current draft.", "error")]
            : [];
        return new(
            test.Id,
            "workflow_test",
            test.WorkflowId,
            new TargetResponse("block", test.TargetBlockId),
            test.Name,
            test.Source,
            test.HandleInputs,
            test.Assertion,
            // Without output schemas for every block type, drift is only known when the block itself is gone.
            block is null ? "drifted" : "unknown",
            block is null ? "invalid" : "valid",
            issues,
            FreshnessMapping.From(FreshnessRules.ForTest(test, workflow, latest)),
            RunSummaryResponse.From(latest),
            RunSummaryResponse.From(latestPassing),
            RunSummaryResponse.From(latestFailing),
            test.CreatedAt,
            test.UpdatedAt);
    }
}

public sealed record ValidationIssueResponse(string Code, string Message, string Severity);

public sealed record RunSummaryResponse(string RunId, string ResultId, string? Verdict, DateTimeOffset? CompletedAt)
{
    public static RunSummaryResponse? From(TestResult? result) => result is null
        ? null
        : new(result.RunId, result.Id, result.Verdict?.ToString().ToLowerInvariant(), result.CompletedAt);
}
