using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Gateway.Responses;

/// <summary>
/// One result row (DESIGN §3.5), in Retab's <c>WorkflowTestResult</c> shape: <c>target</c> and <c>source</c> are required
/// by its models, <c>routing_decisions</c> is a list of output handle ids (<c>list[str]</c> in the Python models,
/// <c>List&lt;string&gt;</c> in the dotnet one), and what the block said about each route is in
/// <c>routing_decision_details</c>.
/// </summary>
public sealed record ResultResponse(
    string Id,
    string Object,
    string WorkflowTestRunId,
    string RunId,
    string TestId,
    string WorkflowId,
    string BlockId,
    string BlockType,
    TargetResponse Target,
    JsonObject Source,
    LifecycleResponse Lifecycle,
    TimingResponse Timing,
    string? Verdict,
    string ExecutionFingerprint,
    string HandleInputsFingerprint,
    string WorkflowDraftFingerprint,
    string BlockConfigFingerprint,
    JsonObject HandleInputs,
    JsonObject HandleOutputs,
    IReadOnlyList<string> RoutingDecisions,
    JsonArray RoutingDecisionDetails,
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
        new TargetResponse("block", result.BlockId),
        SourceOf(result),
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
        HandleIdsOf(result.RoutingDecisions),
        result.RoutingDecisions ?? [],
        result.Consensus,
        result.Warnings,
        result.AssertionResult,
        VerdictSummaryResponse.From(result),
        result.Attempt,
        result.WorkerId);

    /// <summary>
    /// A result keeps the inputs its test resolved to when it was planned (a <c>run_step</c> source was copied into
    /// inputs when the test was saved), so the source it ran from is those inputs, as a manual source.
    /// </summary>
    private static JsonObject SourceOf(TestResult result) =>
        new() { ["type"] = "manual", ["handle_inputs"] = result.HandleInputs.DeepClone() };

    /// <summary>
    /// The handles routed to: our blocks write <c>{handle_id, …}</c>; a third-party worker may write plain handle ids.
    /// Anything else names no handle and stays in the details only.
    /// </summary>
    private static IReadOnlyList<string> HandleIdsOf(JsonArray? decisions) =>
        (decisions ?? []).Select(decision => decision switch
        {
            JsonValue id when id.TryGetValue<string>(out var handle) => handle,
            JsonObject route when route["handle_id"] is JsonValue id && id.TryGetValue<string>(out var handle) => handle,
            _ => null,
        }).OfType<string>().ToList();
}

/// <summary>One assertion per test, so the summary is the verdict restated as counts.</summary>
public sealed record VerdictSummaryResponse(bool Passed, int AssertionsPassed, int AssertionsFailed, int BlockedAssertions, IReadOnlyList<string> FailedAssertionIds)
{
    /// <summary><c>passed</c> under the name one generation of Retab's SDKs requires (tests/results.py @073fdf2, dotnet <c>VerdictSummary</c>).</summary>
    public bool Result => Passed;

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
