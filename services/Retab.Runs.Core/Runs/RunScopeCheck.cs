using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Core.Runs;

/// <summary>
/// The scope rules of <see cref="RunPlanner"/> on counts instead of loaded tests: the gateway answers 404/422 from a
/// count, and the orchestrator checks the same rules again (a <c>CreateTestRun</c> straight from the bus has no gateway)
/// before it plans the slots a chunk at a time. Same codes, same messages as <see cref="RunPlanner"/>.
/// </summary>
public static class RunScopeCheck
{
    /// <param name="testsInScope">
    /// How many saved tests the scope selects now: for <c>single</c>, 1 when the test exists in the workflow, else 0;
    /// for <c>rerun</c>, the earlier run's selected results whose test still exists.
    /// </param>
    /// <param name="maxTests">The most tests one run may hold (<c>Limits:MaxTestsPerRun</c>); a larger scope is refused whole.</param>
    /// <returns>Null when the scope may run.</returns>
    public static RunError? Check(Workflow workflow, RunScopeSpec scope, int testsInScope, int maxTests = int.MaxValue)
    {
        var error = CheckSelection(workflow, scope, testsInScope);
        return error is null && testsInScope > maxTests
            ? new RunError(RunErrorCodes.TooManyTests, $"The scope holds {testsInScope} tests; a run may hold at most {maxTests} (setting Limits:MaxTestsPerRun). Run it block by block.", scope.BlockId)
            : error;
    }

    private static RunError? CheckSelection(Workflow workflow, RunScopeSpec scope, int testsInScope)
    {
        switch (scope.Type)
        {
            case RunScopeType.Rerun:
                // Tests deleted since the earlier run are skipped: only saved tests run, against the current draft.
                return testsInScope == 0
                    ? new RunError(RunErrorCodes.NoTestsInScope,
                        $"Run '{scope.RunId}' has no {RunPlanner.Describe(scope.Only)} result of a test that still exists in workflow '{workflow.Id}'.")
                    : null;
            case RunScopeType.Single:
                return testsInScope == 0
                    ? new RunError(RunErrorCodes.TestNotFound, $"Test '{scope.TestId}' does not exist in workflow '{workflow.Id}'.")
                    : null;
            case RunScopeType.Block:
                if (workflow.FindBlock(scope.BlockId ?? "") is null)
                    return new RunError(RunErrorCodes.BlockNotFound, $"Block '{scope.BlockId}' does not exist in the draft of workflow '{workflow.Id}'.", scope.BlockId);
                return testsInScope == 0
                    ? new RunError(RunErrorCodes.NoTestsInScope, $"Block '{scope.BlockId}' has no saved tests.", scope.BlockId)
                    : null;
            default:
                return testsInScope == 0
                    ? new RunError(RunErrorCodes.NoTestsInScope, $"Workflow '{workflow.Id}' has no saved tests.")
                    : null;
        }
    }
}
