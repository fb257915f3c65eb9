using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Flakiness;
using Retab.Runs.Core.Freshness;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Gateway.Responses;

/// <summary>A saved test with its read-model fields: drift, validation, freshness, flakiness and the latest run summaries.</summary>
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
    IReadOnlyList<string> ValidationIssues,
    IReadOnlyList<ValidationIssueResponse> ValidationIssueDetails,
    FreshnessResponse Freshness,
    FlakyResponse Flaky,
    RunSummaryResponse? LatestRunSummary,
    RunSummaryResponse? LatestPassingRunSummary,
    RunSummaryResponse? LatestFailingRunSummary,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static TestResponse From(WorkflowTest test, Workflow? workflow, TestResult? latest, TestResult? latestPassing, TestResult? latestFailing, FlakyReport flaky)
    {
        var block = workflow?.FindBlock(test.TargetBlockId);
        IReadOnlyList<ValidationIssueResponse> issues = block is null
            ? [new ValidationIssueResponse(RunErrorCodes.BlockNotFound, $"Block '{test.TargetBlockId}' is not in the current draft.", "error")]
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
            // Retab's dotnet SDK reads validation_issues as a List<string>: the messages; the rest is in the details.
            issues.Select(i => i.Message).ToList(),
            issues,
            FreshnessMapping.From(FreshnessRules.ForTest(test, workflow, latest)),
            FlakyResponse.From(flaky),
            RunSummaryResponse.From(latest),
            RunSummaryResponse.From(latestPassing),
            RunSummaryResponse.From(latestFailing),
            test.CreatedAt,
            test.UpdatedAt);
    }
}

public sealed record ValidationIssueResponse(string Code, string Message, string Severity);

/// <summary>
/// Retab's <c>LatestBlockTestRunSummary</c>: the run record is the test's result (<c>wfnodetestrun_…</c>), <c>status</c>
/// its lifecycle and <c>outcome</c> its verdict. <c>run_id</c>, <c>result_id</c> and <c>verdict</c> are this service's
/// earlier names for the same facts, kept for the clients that read them.
/// </summary>
public sealed record RunSummaryResponse(
    string RunRecordId,
    string Status,
    string? Outcome,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    long? DurationMs,
    string WorkflowDraftFingerprint,
    string BlockConfigFingerprint,
    string ValidityFingerprint,
    string HandleInputsFingerprint,
    int AssertionsPassed,
    int AssertionsFailed,
    int BlockedAssertions,
    string RunId,
    string ResultId,
    string? Verdict)
{
    public static RunSummaryResponse? From(TestResult? result)
    {
        if (result is null)
            return null;
        var verdict = VerdictSummaryResponse.From(result);
        var outcome = result.Status == SlotStatus.Completed ? result.Verdict?.ToString().ToLowerInvariant() : null;
        var fingerprints = result.Fingerprints;
        return new(
            result.Id,
            result.Status.ToString().ToLowerInvariant(),
            outcome,
            // Retab requires a start; a result that ended before any worker took it (cancelled) started when it was created.
            result.StartedAt ?? result.CreatedAt,
            result.CompletedAt,
            result.DurationMs,
            fingerprints.WorkflowDraftFingerprint,
            fingerprints.BlockConfigFingerprint,
            // The test's validity is its block's config, as its freshness reports it.
            fingerprints.BlockConfigFingerprint,
            fingerprints.HandleInputsFingerprint,
            verdict.AssertionsPassed,
            verdict.AssertionsFailed,
            verdict.BlockedAssertions,
            result.RunId,
            result.Id,
            outcome);
    }
}
