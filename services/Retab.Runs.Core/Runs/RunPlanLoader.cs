using Retab.Runs.Core.Results;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Core.Runs;

/// <summary>Loads what <see cref="RunPlanner"/> needs from the stores; an unknown workflow is a plan error.</summary>
public sealed class RunPlanLoader(IWorkflowStore workflows, ITestStore tests, IRunStore runs)
{
    /// <returns>The plan, or null with the error when the workflow does not exist in the organization or the scope is refused.</returns>
    public async Task<(RunPlan? Plan, RunError? Error)> LoadAsync(string organizationId, string workflowId, RunScopeSpec scope, int maxTests, CancellationToken cancellationToken)
    {
        IReadOnlySet<string>? rerunSelection = null;
        if (scope.Type == RunScopeType.Rerun)
        {
            var (selection, rerunError) = await LoadRerunSelectionAsync(organizationId, workflowId, scope, cancellationToken);
            if (rerunError is not null)
                return (null, rerunError);
            rerunSelection = selection;
        }
        var workflow = await workflows.GetAsync(organizationId, workflowId, cancellationToken);
        if (workflow is null)
            return (null, new RunError(RunErrorCodes.WorkflowNotFound, $"Workflow '{workflowId}' does not exist."));
        var plan = RunPlanner.Plan(workflow, await tests.ListAllAsync(organizationId, workflowId, cancellationToken), scope, maxTests, rerunSelection);
        return plan.IsValid ? (plan, null) : (null, plan.Error);
    }

    /// <summary>
    /// The test ids of the earlier run whose results <see cref="RunScopeSpec.Only"/> selects, read a page at a time (only
    /// the ids are kept). The earlier run must belong to the organization and the workflow, and have ended.
    /// </summary>
    private async Task<(IReadOnlySet<string>? Selection, RunError? Error)> LoadRerunSelectionAsync(
        string organizationId, string workflowId, RunScopeSpec scope, CancellationToken cancellationToken)
    {
        var earlier = scope.RunId is null ? null : await runs.GetRunAsync(organizationId, scope.RunId, cancellationToken);
        if (earlier is null || earlier.WorkflowId != workflowId)
            return (null, new RunError(RunErrorCodes.RunNotFound, $"Test run '{scope.RunId}' does not exist in workflow '{workflowId}'."));
        if (!RunLifecycle.IsTerminal(earlier.Status))
            return (null, new RunError(RunErrorCodes.RunInProgress,
                $"Test run '{earlier.Id}' is still {earlier.Status.ToString().ToLowerInvariant()}; rerun it once it has ended."));

        var only = scope.Only ?? RerunOnly.Failed;
        var selection = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var result in RunResults.ReadAsync(runs, organizationId, earlier.Id, ascending: true, afterTestId: null, cancellationToken))
        {
            if (RerunSelection.Selects(only, result.Status, result.Verdict))
                selection.Add(result.TestId);
        }
        return (selection, null);
    }
}
