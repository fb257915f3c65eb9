using Retab.Runs.Core.Common;
using Retab.Runs.Core.Tests;

namespace Retab.Runs.Core.Stores;

/// <summary>Saved test definitions. Every read is scoped to an organization.</summary>
public interface ITestStore
{
    Task InsertAsync(WorkflowTest test, CancellationToken cancellationToken = default);

    Task<WorkflowTest?> GetAsync(string organizationId, string testId, CancellationToken cancellationToken = default);

    Task<Page<WorkflowTest>> ListAsync(string organizationId, string workflowId, string? targetBlockId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>How many tests the workflow has (of one block, when <paramref name="targetBlockId"/> is given): what a run's scope is checked on.</summary>
    Task<int> CountAsync(string organizationId, string workflowId, string? targetBlockId, CancellationToken cancellationToken = default);

    /// <summary>How many of <paramref name="testIds"/> are tests of the workflow (a rerun skips the ones deleted since).</summary>
    Task<int> CountExistingAsync(string organizationId, string workflowId, IReadOnlyCollection<string> testIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// The ids of the workflow's tests (of one block, when <paramref name="targetBlockId"/> is given), in ascending
    /// ordinal order: the planner reads a huge scope a chunk at a time from them, never every test at once.
    /// </summary>
    Task<IReadOnlyList<string>> ListIdsAsync(string organizationId, string workflowId, string? targetBlockId, CancellationToken cancellationToken = default);

    /// <summary>The tests of the workflow among <paramref name="testIds"/>, in ascending ordinal id order; unknown ids are skipped.</summary>
    Task<IReadOnlyList<WorkflowTest>> GetManyAsync(string organizationId, string workflowId, IReadOnlyCollection<string> testIds, CancellationToken cancellationToken = default);

    Task<bool> ReplaceAsync(WorkflowTest test, CancellationToken cancellationToken = default);

    Task<bool> DeleteAsync(string organizationId, string testId, CancellationToken cancellationToken = default);
}
