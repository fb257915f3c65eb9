using Retab.Runs.Core.Common;
using Retab.Runs.Core.Tests;

namespace Retab.Runs.Core.Stores;

/// <summary>Saved test definitions. Every read is scoped to an organization.</summary>
public interface ITestStore
{
    Task InsertAsync(WorkflowTest test, CancellationToken cancellationToken = default);

    Task<WorkflowTest?> GetAsync(string organizationId, string testId, CancellationToken cancellationToken = default);

    Task<Page<WorkflowTest>> ListAsync(string organizationId, string workflowId, string? targetBlockId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Every test of a workflow, oldest first: what the run planner selects from.</summary>
    Task<IReadOnlyList<WorkflowTest>> ListAllAsync(string organizationId, string workflowId, CancellationToken cancellationToken = default);

    Task<bool> ReplaceAsync(WorkflowTest test, CancellationToken cancellationToken = default);

    Task<bool> DeleteAsync(string organizationId, string testId, CancellationToken cancellationToken = default);
}
