using Retab.Runs.Core.Common;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Core.Stores;

/// <summary>Workflows and their drafts. Every read is scoped to an organization.</summary>
public interface IWorkflowStore
{
    Task InsertAsync(Workflow workflow, CancellationToken cancellationToken = default);

    Task<Workflow?> GetAsync(string organizationId, string workflowId, CancellationToken cancellationToken = default);

    Task<Page<Workflow>> ListAsync(string organizationId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Replaces the workflow if its stored draft number is still <paramref name="expectedDraftNumber"/>; false when another change won.</summary>
    Task<bool> ReplaceAsync(Workflow workflow, int expectedDraftNumber, CancellationToken cancellationToken = default);

    /// <summary>Moves <see cref="Workflow.TestsChangedAt"/> forward to <paramref name="at"/> (never back).</summary>
    Task MarkTestsChangedAsync(string organizationId, string workflowId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Deletes the workflow and its saved tests.</summary>
    Task<bool> DeleteAsync(string organizationId, string workflowId, CancellationToken cancellationToken = default);
}
