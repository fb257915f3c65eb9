using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Gateway.Responses;

/// <summary>One result row (DESIGN §3.5).</summary>
public sealed record ResultResponse(
    string Id,
    string Object,
    string WorkflowTestRunId,
    string RunId,
    string TestId,
    string WorkflowId,
    string BlockId,
    string BlockType,
    LifecycleResponse Lifecycle,
    TimingResponse Timing,
    string? Verdict,
    string ExecutionFingerprint,
    string HandleInputsFingerprint,
    string WorkflowDraftFingerprint,
    string BlockConfigFingerprint,
    JsonObject HandleInputs,
    JsonObject HandleOutputs,
    JsonArray RoutingDecisions,
    JsonObject? Consensus,
    IReadOnlyList<string> Warnings,
    AssertionResult? AssertionResult,
    VerdictSummaryResponse VerdictSummary,
    int Attempt,
    string? WorkerId)
{
    public static ResultResponse From(TestResult result) => new(
        result.Id,
        "workflow_test_result",
        result.RunId,
        result.RunId,
        result.TestId,
        result.WorkflowId,
        result.BlockId,
        result.BlockType,
        result.Error is { } error && result.Status == SlotStatus.Error
            ? new LifecycleResponse("error", error.Message, new ErrorDetailsResponse(error.Message, error.Code, result.BlockId))
            : LifecycleResponse.Of(result.Status),
        new TimingResponse(result.CreatedAt, result.StartedAt, result.CompletedAt, result.DurationMs),
        result.Status == SlotStatus.Completed ? result.Verdict?.ToString().ToLowerInvariant() : null,
        result.Fingerprints.ExecutionFingerprint,
        result.Fingerprints.HandleInputsFingerprint,
        result.Fingerprints.WorkflowDraftFingerprint,
        result.Fingerprints.BlockConfigFingerprint,
        result.HandleInputs,
        result.HandleOutputs ?? [],
        result.RoutingDecisions ?? [],
        result.Consensus,
        result.Warnings,
        result.AssertionResult,
        VerdictSummaryResponse.From(result),
        result.Attempt,
        result.WorkerId);
}

/// <summary>One assertion per test, so the summary is the verdict restated as counts.</summary>
public sealed record VerdictSummaryResponse(bool Passed, int AssertionsPassed, int AssertionsFailed, int BlockedAssertions, IReadOnlyList<string> FailedAssertionIds)
{
    public static VerdictSummaryResponse From(TestResult result)
    {
        var verdict = result.Status == SlotStatus.Completed ? result.Verdict : null;
        return new(
            verdict == Verdict.Passed,
            verdict == Verdict.Passed ? 1 : 0,
            verdict == Verdict.Failed ? 1 : 0,
            verdict == Verdict.Blocked ? 1 : 0,
            verdict == Verdict.Failed ? [result.Assertion.Id] : []);
    }
}
