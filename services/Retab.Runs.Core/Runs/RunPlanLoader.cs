using Retab.Runs.Core.Stores;

namespace Retab.Runs.Core.Runs;

/// <summary>Loads what <see cref="RunPlanner"/> needs from the stores; an unknown workflow is a plan error.</summary>
public sealed class RunPlanLoader(IWorkflowStore workflows, ITestStore tests)
{
    /// <returns>The plan, or null with the error when the workflow does not exist in the organization or the scope is refused.</returns>
    public async Task<(RunPlan? Plan, RunError? Error)> LoadAsync(string organizationId, string workflowId, RunScopeSpec scope, int maxTests, CancellationToken cancellationToken)
    {
        var workflow = await workflows.GetAsync(organizationId, workflowId, cancellationToken);
        if (workflow is null)
            return (null, new RunError(RunErrorCodes.WorkflowNotFound, $"Workflow '{workflowId}' does not exist."));
        var plan = RunPlanner.Plan(workflow, await tests.ListAllAsync(organizationId, workflowId, cancellationToken), scope, maxTests);
        return plan.IsValid ? (plan, null) : (null, plan.Error);
    }
}
