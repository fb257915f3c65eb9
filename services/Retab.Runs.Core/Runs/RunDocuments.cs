using Retab.Runs.Core.Common;

namespace Retab.Runs.Core.Runs;

/// <summary>Creates run documents, the same way whether the run came through the gateway or straight from the bus.</summary>
public static class RunDocuments
{
    public const string ApiTrigger = "api";
    public const string CustomTrigger = "custom";

    /// <summary>A planned run waiting for the orchestrator: every selected test counts as queued.</summary>
    public static TestRun Pending(string runId, string organizationId, RunPlan plan, RunScopeSpec scope, string triggerType, DateTimeOffset at) => new()
    {
        Id = runId,
        OrganizationId = organizationId,
        WorkflowId = plan.Workflow.Id,
        WorkflowVersionId = plan.Workflow.VersionId,
        DraftFingerprint = plan.Workflow.DraftFingerprint,
        InputsFingerprint = plan.InputsFingerprint,
        TriggerType = triggerType,
        Scope = scope,
        TargetBlockId = plan.TargetBlockId,
        Status = RunStatus.Pending,
        CreatedAt = at,
        LastProgressAt = at,
        TotalTests = plan.Tests.Count,
        Counts = RunCounts.AllQueued(plan.Tests.Count),
    };

    /// <summary>
    /// A run checked on counts, waiting for the orchestrator to plan it: every counted test counts as queued. Its inputs
    /// fingerprint is set when the orchestrator has read the tests (<see cref="Stores.IRunStore.QueuePlannedRunAsync"/>).
    /// </summary>
    public static TestRun Pending(string runId, string organizationId, CountedScope counted, string triggerType, DateTimeOffset at) => new()
    {
        Id = runId,
        OrganizationId = organizationId,
        WorkflowId = counted.Workflow.Id,
        WorkflowVersionId = counted.Workflow.VersionId,
        DraftFingerprint = counted.Workflow.DraftFingerprint,
        TriggerType = triggerType,
        Scope = counted.Scope,
        TargetBlockId = counted.TargetBlockId,
        Status = RunStatus.Pending,
        CreatedAt = at,
        LastProgressAt = at,
        TotalTests = counted.TestCount,
        Counts = RunCounts.AllQueued(counted.TestCount),
    };

    /// <summary>A run that ended before it started (unknown workflow, empty scope…), recorded so its publisher can see why.</summary>
    public static TestRun Failed(string runId, string organizationId, string workflowId, RunScopeSpec scope, string triggerType, RunError error, DateTimeOffset at) => new()
    {
        Id = runId,
        OrganizationId = organizationId,
        WorkflowId = workflowId,
        WorkflowVersionId = "",
        DraftFingerprint = "",
        TriggerType = triggerType,
        Scope = scope,
        TargetBlockId = scope.BlockId,
        Status = RunStatus.Error,
        Error = error,
        CreatedAt = at,
        CompletedAt = at,
        LastProgressAt = at,
        TotalTests = 0,
        Counts = new RunCounts(),
    };
}
