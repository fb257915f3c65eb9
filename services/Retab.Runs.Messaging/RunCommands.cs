using Retab.Runs.Contracts;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Messaging;

/// <summary>The commands about a stored run, built in one place for the gateway (first send) and the sweeper (re-send).</summary>
public static class RunCommands
{
    public static CreateTestRun Create(TestRun run) => new()
    {
        RunId = run.Id,
        OrganizationId = run.OrganizationId,
        WorkflowId = run.WorkflowId,
        Scope = ToMessage(run.Scope),
        Trigger = new RunTrigger(run.TriggerType),
        RequestedAt = run.CreatedAt,
    };

    public static CancelTestRun Cancel(TestRun run, string? reason) =>
        new() { RunId = run.Id, OrganizationId = run.OrganizationId, Reason = reason };

    public static RunScope ToMessage(RunScopeSpec scope) =>
        new(scope.Type.ToString().ToLowerInvariant(), scope.BlockId, scope.TestId, scope.RunId,
            scope.Only is { } only ? RerunSelection.NameOf(only) : null);
}
