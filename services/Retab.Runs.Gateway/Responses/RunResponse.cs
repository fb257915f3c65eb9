using Retab.Runs.Core.Freshness;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Gateway.Responses;

/// <summary>The run resource of DESIGN §3.4: the normative fields and the seed example's (<c>workflow</c> object, flat counts).</summary>
public sealed record RunResponse(
    string Id,
    string Object,
    string WorkflowId,
    string WorkflowVersionId,
    RunWorkflowRef Workflow,
    TriggerResponse Trigger,
    ScopeResponse Scope,
    LifecycleResponse Lifecycle,
    TimingResponse Timing,
    string? TestId,
    TargetResponse? Target,
    int TotalTests,
    CountsResponse Counts,
    FreshnessResponse Freshness,
    string? RerunOf,
    string? BaselineRunId,
    int? Regressions,
    int? Fixes)
{
    public static RunResponse From(TestRun run, FreshnessReport freshness) => new(
        run.Id,
        "workflow_test_run",
        run.WorkflowId,
        run.WorkflowVersionId,
        new RunWorkflowRef(run.WorkflowId, run.WorkflowVersionId),
        new TriggerResponse(run.TriggerType),
        new ScopeResponse(run.Scope.Type.ToString().ToLowerInvariant(), run.Scope.BlockId, run.Scope.TestId, run.Scope.RunId,
            run.Scope.Only is { } only ? RerunSelection.NameOf(only) : null),
        LifecycleOf(run),
        new TimingResponse(run.CreatedAt, run.StartedAt, run.CompletedAt, run.DurationMs),
        run.TestId,
        run.TargetBlockId is { } block ? new TargetResponse("block", block) : null,
        run.TotalTests,
        CountsResponse.From(run.Counts),
        FreshnessMapping.From(freshness),
        run.RerunOf,
        // Recorded just before the move to completed: shown from then on only.
        run.Status == RunStatus.Completed ? run.BaselineRunId : null,
        run.Status == RunStatus.Completed ? run.Regressions : null,
        run.Status == RunStatus.Completed ? run.Fixes : null);

    internal static LifecycleResponse LifecycleOf(TestRun run) => run.Status switch
    {
        RunStatus.Error when run.Error is { } error => new LifecycleResponse("error", error.Message,
            new ErrorDetailsResponse(error.Message, error.Code, error.BlockId)),
        RunStatus.Cancelled => new LifecycleResponse("cancelled", Reason: run.CancelReason),
        _ => LifecycleResponse.Of(run.Status),
    };
}

public sealed record RunWorkflowRef(string WorkflowId, string VersionId);

public sealed record TriggerResponse(string Type);

/// <param name="RunId">For <c>rerun</c>: the earlier run.</param>
/// <param name="Only">For <c>rerun</c>: <c>failed</c>, <c>not_passed</c>, <c>error</c> or <c>all</c>.</param>
public sealed record ScopeResponse(string Type, string? BlockId, string? TestId, string? RunId = null, string? Only = null);

public sealed record TargetResponse(string Type, string BlockId);

internal static class FreshnessMapping
{
    public static FreshnessResponse From(FreshnessReport report) => new(
        report.Status.ToString().ToLowerInvariant(),
        report.Reasons, report.ValidityFingerprint, report.InputFingerprint, report.BaselineRunId);
}
