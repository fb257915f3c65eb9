using System.Text.Json;
using System.Text.Json.Nodes;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator;

/// <summary>Translates between bus messages and the domain, on the orchestrator's side.</summary>
internal static class ContractMapping
{
    public static RunScopeSpec ToScope(RunScope? scope) => scope?.Type switch
    {
        null or "workflow" => RunScopeSpec.WholeWorkflow,
        "block" => new RunScopeSpec(RunScopeType.Block, BlockId: scope.BlockId),
        "single" => new RunScopeSpec(RunScopeType.Single, TestId: scope.TestId),
        "rerun" => ToRerunScope(scope),
        _ => throw new InvalidMessageException($"Unknown scope type '{scope.Type}'; expected workflow, block, single or rerun."),
    };

    private static RunScopeSpec ToRerunScope(RunScope scope)
    {
        if (!ResourceIds.HasPrefix(scope.RunId, ResourceIds.Run))
            throw new InvalidMessageException($"A rerun scope's RunId must be a run id ('{ResourceIds.Run}_…'), got '{scope.RunId}'.");
        if (RerunSelection.Parse(scope.Only) is not { } only)
            throw new InvalidMessageException($"A rerun scope's Only must be one of {string.Join(", ", RerunSelection.Names)}, got '{scope.Only}'.");
        return new RunScopeSpec(RunScopeType.Rerun, RunId: scope.RunId, Only: only);
    }

    public static ExecuteWorkflowTest ToExecution(TestResult slot, DateTimeOffset deadline) => new()
    {
        RunId = slot.RunId,
        OrganizationId = slot.OrganizationId,
        TestId = slot.TestId,
        ResultId = slot.Id,
        Attempt = slot.Attempt,
        Block = new BlockSnapshot(slot.BlockId, slot.BlockType, slot.BlockName, PublicJson.ToElement(slot.BlockConfig)),
        HandleInputs = PublicJson.ToElement(slot.HandleInputs),
        Assertion = PublicJson.ToElement(slot.Assertion),
        Fingerprints = new ExecutionFingerprints(
            slot.Fingerprints.ExecutionFingerprint,
            slot.Fingerprints.HandleInputsFingerprint,
            slot.Fingerprints.WorkflowDraftFingerprint,
            slot.Fingerprints.BlockConfigFingerprint),
        Deadline = deadline,
    };

    public static SlotStarted ToSlotEvent(WorkflowTestStarted started) =>
        new(started.RunId, started.ResultId, started.StartedAt, started.WorkerId);

    public static SlotFinished ToSlotEvent(WorkflowTestFinished finished) => new(
        finished.RunId,
        finished.ResultId,
        finished.CompletedAt,
        finished.Lifecycle switch
        {
            "completed" => SlotStatus.Completed,
            "error" => SlotStatus.Error,
            _ => throw new InvalidMessageException($"Lifecycle '{finished.Lifecycle}' is not a finished state; expected completed or error."),
        },
        ToVerdict(finished.Verdict),
        finished.StartedAt,
        finished.HandleOutputs is { } outputs ? JsonObject.Create(outputs) : null,
        finished.AssertionResult is { } result ? PublicJson.FromElement<AssertionResult>(result) : null,
        finished.Warnings,
        finished.Error is { } error ? new SlotError(error.Code, error.Message) : null,
        finished.WorkerId,
        finished.EngineVersion)
    {
        RoutingDecisions = finished.RoutingDecisions is { ValueKind: JsonValueKind.Array } routing ? JsonArray.Create(routing) : null,
        Consensus = finished.Consensus is { ValueKind: JsonValueKind.Object } consensus ? JsonObject.Create(consensus) : null,
    };

    private static Verdict? ToVerdict(string? verdict) => verdict switch
    {
        null => null,
        "passed" => Verdict.Passed,
        "failed" => Verdict.Failed,
        "blocked" => Verdict.Blocked,
        _ => throw new InvalidMessageException($"Verdict '{verdict}' is unknown; expected passed, failed or blocked."),
    };

    public static RunCountsSnapshot ToSnapshot(RunCounts c) =>
        new(c.Pending, c.Queued, c.Running, c.Completed, c.Error, c.Cancelled, c.Passed, c.Failed, c.Blocked);

    public static TestRunCompleted ToCompletedEvent(TestRun run) => new()
    {
        RunId = run.Id,
        OrganizationId = run.OrganizationId,
        WorkflowId = run.WorkflowId,
        Status = run.Status.ToString().ToLowerInvariant(),
        Counts = ToSnapshot(run.Counts),
        TotalTests = run.TotalTests,
        CreatedAt = run.CreatedAt,
        StartedAt = run.StartedAt,
        CompletedAt = run.CompletedAt,
        DurationMs = run.DurationMs,
        Error = run.Error is { } error ? new ExecutionError(error.Code, error.Message) : null,
        Regressions = run.Regressions,
        Fixes = run.Fixes,
    };
}
