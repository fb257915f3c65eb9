using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Core.Runs;

/// <summary>
/// Selects the tests of a run from its scope. The gateway plans to answer scope errors at once (404/422);
/// the orchestrator plans again when it creates the slots, so a command published straight onto the bus
/// gets exactly the same rules.
/// </summary>
public static class RunPlanner
{
    /// <param name="tests">Every saved test of the workflow.</param>
    /// <param name="maxTests">The most tests one run may hold (<c>Limits:MaxTestsPerRun</c>); a larger scope is refused whole.</param>
    /// <param name="rerunSelection">
    /// For a <c>rerun</c> scope: the ids of the earlier run's tests whose results the scope selects
    /// (<see cref="RunPlanLoader"/> reads them from the earlier run); without it a rerun scope does not plan.
    /// </param>
    public static RunPlan Plan(Workflow workflow, IReadOnlyList<WorkflowTest> tests, RunScopeSpec scope, int maxTests = int.MaxValue, IReadOnlySet<string>? rerunSelection = null)
    {
        var plan = Select(workflow, tests, scope, rerunSelection);
        return plan.IsValid && plan.Tests.Count > maxTests
            ? Fail(workflow, RunErrorCodes.TooManyTests, $"The scope holds {plan.Tests.Count} tests; a run may hold at most {maxTests} (setting Limits:MaxTestsPerRun). Run it block by block.", scope.BlockId)
            : plan;
    }

    private static RunPlan Select(Workflow workflow, IReadOnlyList<WorkflowTest> tests, RunScopeSpec scope, IReadOnlySet<string>? rerunSelection)
    {
        switch (scope.Type)
        {
            case RunScopeType.Rerun:
                // Tests deleted since the earlier run are skipped: only saved tests run, against the current draft.
                var again = rerunSelection is null ? [] : tests.Where(t => rerunSelection.Contains(t.Id)).ToList();
                return again.Count == 0
                    ? Fail(workflow, RunErrorCodes.NoTestsInScope,
                        $"Run '{scope.RunId}' has no {Describe(scope.Only)} result of a test that still exists in workflow '{workflow.Id}'.")
                    : new RunPlan(workflow, again, null, null);

            case RunScopeType.Single:
                var test = tests.FirstOrDefault(t => t.Id == scope.TestId);
                return test is null
                    ? Fail(workflow, RunErrorCodes.TestNotFound, $"Test '{scope.TestId}' does not exist in workflow '{workflow.Id}'.")
                    : new RunPlan(workflow, [test], test.TargetBlockId, null);

            case RunScopeType.Block:
                if (workflow.FindBlock(scope.BlockId ?? "") is null)
                    return Fail(workflow, RunErrorCodes.BlockNotFound, $"Block '{scope.BlockId}' does not exist in the draft of workflow '{workflow.Id}'.", scope.BlockId);
                var ofBlock = tests.Where(t => t.TargetBlockId == scope.BlockId).ToList();
                return ofBlock.Count == 0
                    ? Fail(workflow, RunErrorCodes.NoTestsInScope, $"Block '{scope.BlockId}' has no saved tests.", scope.BlockId)
                    : new RunPlan(workflow, ofBlock, scope.BlockId, null);

            default:
                return tests.Count == 0
                    ? Fail(workflow, RunErrorCodes.NoTestsInScope, $"Workflow '{workflow.Id}' has no saved tests.")
                    : new RunPlan(workflow, tests, null, null);
        }
    }

    private static string Describe(RerunOnly? only) => only switch
    {
        RerunOnly.Failed => "failed",
        RerunOnly.NotPassed => "not passed",
        RerunOnly.Error => "error",
        _ => "",
    };

    private static RunPlan Fail(Workflow workflow, string code, string message, string? blockId = null) =>
        new(workflow, [], null, new RunError(code, message, blockId));
}
