using System.Runtime.CompilerServices;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Core.Runs;

/// <summary>
/// Reads a run's scope from the stores without holding its tests: <see cref="CountAsync"/> checks it on counts and
/// existence (<see cref="RunScopeCheck"/>: the gateway's 404/422/409, and the orchestrator's check of the same rules),
/// and <see cref="ReadTestsAsync"/> reads the tests it selects a chunk at a time, in test-id order.
/// </summary>
public sealed class RunPlanLoader(IWorkflowStore workflows, ITestStore tests, IRunStore runs)
{
    /// <returns>The counted scope, or null with the error when the workflow does not exist in the organization or the scope is refused.</returns>
    public async Task<(CountedScope? Scope, RunError? Error)> CountAsync(string organizationId, string workflowId, RunScopeSpec scope, int maxTests, CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? rerunSelection = null;
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

        var (count, targetBlockId, selected) = scope.Type switch
        {
            RunScopeType.Rerun => (await CountExistingAsync(organizationId, workflowId, rerunSelection!, cancellationToken), null, rerunSelection),
            RunScopeType.Single => await CountSingleAsync(organizationId, workflowId, scope.TestId, cancellationToken),
            RunScopeType.Block => (workflow.FindBlock(scope.BlockId ?? "") is null ? 0 : await tests.CountAsync(organizationId, workflowId, scope.BlockId, cancellationToken), scope.BlockId, null),
            _ => (await tests.CountAsync(organizationId, workflowId, null, cancellationToken), (string?)null, (IReadOnlyList<string>?)null),
        };
        return RunScopeCheck.Check(workflow, scope, count, maxTests) is { } error
            ? (null, error)
            : (new CountedScope(workflow, scope, count, targetBlockId, selected), null);
    }

    /// <summary>
    /// The tests the scope selects, a chunk (<see cref="ResultSlots.ChunkSize"/>) at a time in ascending test-id order;
    /// tests deleted (or moved to another block) since the scope was counted are skipped.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<WorkflowTest>> ReadTestsAsync(
        string organizationId, CountedScope scope, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var blockId = scope.Scope.Type == RunScopeType.Block ? scope.Scope.BlockId : null;
        var ids = scope.SelectedTestIds ?? await tests.ListIdsAsync(organizationId, scope.Workflow.Id, blockId, cancellationToken);
        foreach (var chunk in ids.Chunk(ResultSlots.ChunkSize))
        {
            var page = await tests.GetManyAsync(organizationId, scope.Workflow.Id, chunk, cancellationToken);
            if (blockId is not null && page.Any(t => t.TargetBlockId != blockId))
                page = page.Where(t => t.TargetBlockId == blockId).ToList();
            if (page.Count > 0)
                yield return page;
        }
    }

    /// <summary>
    /// The inputs fingerprint of <paramref name="scope"/> selected now from the current tests (read-time freshness),
    /// computed while the tests stream past; null when the scope no longer selects any test. A <c>rerun</c> scope is
    /// not selected again here (null): which tests it selects depends on the earlier run's results.
    /// </summary>
    public async Task<string?> CurrentInputsFingerprintAsync(string organizationId, Workflow workflow, RunScopeSpec scope, CancellationToken cancellationToken)
    {
        if (scope.Type == RunScopeType.Rerun || (scope.Type == RunScopeType.Block && workflow.FindBlock(scope.BlockId ?? "") is null))
            return null;
        IReadOnlyList<string>? selected = scope.Type == RunScopeType.Single ? (scope.TestId is { } testId ? [testId] : []) : null;
        using var fingerprint = new InputsFingerprintBuilder();
        await foreach (var chunk in ReadTestsAsync(organizationId, new CountedScope(workflow, scope, 0, null, selected), cancellationToken))
        {
            foreach (var test in chunk)
                fingerprint.Add(test.Id, test.HandleInputsFingerprint);
        }
        return fingerprint.Count == 0 ? null : fingerprint.Current();
    }

    private async Task<int> CountExistingAsync(string organizationId, string workflowId, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var chunk in ids.Chunk(ResultSlots.ChunkSize))
            count += await tests.CountExistingAsync(organizationId, workflowId, chunk, cancellationToken);
        return count;
    }

    private async Task<(int Count, string? TargetBlockId, IReadOnlyList<string>? Selected)> CountSingleAsync(
        string organizationId, string workflowId, string? testId, CancellationToken cancellationToken)
    {
        var test = testId is null ? null : await tests.GetAsync(organizationId, testId, cancellationToken);
        return test is not null && test.WorkflowId == workflowId ? (1, test.TargetBlockId, [test.Id]) : (0, null, null);
    }

    /// <summary>
    /// The test ids of the earlier run whose results <see cref="RunScopeSpec.Only"/> selects, read a page at a time (only
    /// the ids are kept), in ascending ordinal order. The earlier run must belong to the organization and the workflow, and have ended.
    /// </summary>
    private async Task<(IReadOnlyList<string>? Selection, RunError? Error)> LoadRerunSelectionAsync(
        string organizationId, string workflowId, RunScopeSpec scope, CancellationToken cancellationToken)
    {
        var earlier = scope.RunId is null ? null : await runs.GetRunAsync(organizationId, scope.RunId, cancellationToken);
        if (earlier is null || earlier.WorkflowId != workflowId)
            return (null, new RunError(RunErrorCodes.RunNotFound, $"Test run '{scope.RunId}' does not exist in workflow '{workflowId}'."));
        if (!RunLifecycle.IsTerminal(earlier.Status))
            return (null, new RunError(RunErrorCodes.RunInProgress,
                $"Test run '{earlier.Id}' is still {earlier.Status.ToString().ToLowerInvariant()}; rerun it once it has ended."));

        var only = scope.Only ?? RerunOnly.Failed;
        var selection = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var result in RunResults.ReadAsync(runs, organizationId, earlier.Id, ascending: true, afterTestId: null, cancellationToken))
        {
            if (RerunSelection.Selects(only, result.Status, result.Verdict))
                selection.Add(result.TestId);
        }
        return (selection.ToList(), null);
    }
}
