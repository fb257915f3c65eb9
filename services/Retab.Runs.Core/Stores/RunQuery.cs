using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Stores;

/// <summary>Filters of <c>GET /v1/workflows/tests/runs</c>; null means no filter.</summary>
public sealed record RunQuery(
    string? WorkflowId = null,
    string? TestId = null,
    string? TargetBlockId = null,
    RunStatus? Status = null,
    RunStatus? ExcludeStatus = null,
    string? TriggerType = null,
    DateTimeOffset? FromDate = null,
    DateTimeOffset? ToDate = null)
{
    public bool Matches(TestRun run) =>
        (WorkflowId is null || run.WorkflowId == WorkflowId)
        && (TestId is null || run.TestId == TestId)
        && (TargetBlockId is null || run.TargetBlockId == TargetBlockId)
        && (Status is null || run.Status == Status)
        && (ExcludeStatus is null || run.Status != ExcludeStatus)
        && (TriggerType is null || run.TriggerType == TriggerType)
        && (FromDate is null || run.CreatedAt >= FromDate)
        && (ToDate is null || run.CreatedAt <= ToDate);
}
