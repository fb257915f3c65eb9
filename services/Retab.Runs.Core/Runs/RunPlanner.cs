using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Core.Runs;

/// <summary>
/// Selects the tests of a run from its scope, with every test in memory: the reference the services' planning is held
/// to. The services never load a whole scope: the gateway and the orchestrator check it on counts
/// (<see cref="RunScopeCheck"/>, the same rules) and the orchestrator reads its tests a chunk at a time
/// (<see cref="RunPlanLoader"/>), with the same <see cref="RunPlan.InputsFingerprint"/> (<see cref="InputsFingerprintBuilder"/>).
/// </summary>
public static class RunPlanner
{
    /// <param name="tests">Every saved test of the workflow.</param>
    /// <param name="maxTests">The most tests one run may hold (<c>Limits:MaxTestsPerRun</c>); a larger scope is refused whole.</param>
    /// <param name="rerunSelection">
    /// For a <c>rerun</c> scope: the ids of the earlier run's tests whose results the scope selects
    /// (read from the earlier run); without it a rerun scope does not plan.
    /// </param>
    public static RunPlan Plan(Workflow workflow, IReadOnlyList<WorkflowTest> tests, RunScopeSpec scope, int maxTests = int.MaxValue, IReadOnlySet<string>? rerunSelection = null)
    {
        var (selected, targetBlockId) = Select(workflow, tests, scope, rerunSelection);
        // The rules themselves live in RunScopeCheck, which the gateway and the orchestrator apply to counts.
        return RunScopeCheck.Check(workflow, scope, selected.Count, maxTests) is { } error
            ? new RunPlan(workflow, [], null, error)
            : new RunPlan(workflow, selected, targetBlockId, null);
    }

    private static (IReadOnlyList<WorkflowTest> Tests, string? TargetBlockId) Select(
        Workflow workflow, IReadOnlyList<WorkflowTest> tests, RunScopeSpec scope, IReadOnlySet<string>? rerunSelection)
    {
        switch (scope.Type)
        {
            case RunScopeType.Rerun:
                return (rerunSelection is null ? [] : tests.Where(t => rerunSelection.Contains(t.Id)).ToList(), null);
            case RunScopeType.Single:
                var test = tests.FirstOrDefault(t => t.Id == scope.TestId);
                return test is null ? ([], null) : ([test], test.TargetBlockId);
            case RunScopeType.Block:
                return workflow.FindBlock(scope.BlockId ?? "") is null
                    ? ([], scope.BlockId)
                    : (tests.Where(t => t.TargetBlockId == scope.BlockId).ToList(), scope.BlockId);
            default:
                return (tests, null);
        }
    }

    /// <summary>How a <c>no_tests_in_scope</c> message names the results a rerun selects.</summary>
    internal static string Describe(RerunOnly? only) => only switch
    {
        RerunOnly.Failed => "failed",
        RerunOnly.NotPassed => "not passed",
        RerunOnly.Error => "error",
        _ => "",
    };
}
