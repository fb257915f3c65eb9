using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Tests;

namespace Retab.Runs.Storage.Tests;

/// <summary>Every test of a workflow in id order, for assertions (the services read a scope a chunk at a time instead).</summary>
internal static class TestStoreReading
{
    public static async Task<IReadOnlyList<WorkflowTest>> ListAllAsync(this ITestStore tests, string organizationId, string workflowId, CancellationToken cancellationToken = default) =>
        await tests.GetManyAsync(organizationId, workflowId, await tests.ListIdsAsync(organizationId, workflowId, null, cancellationToken), cancellationToken);
}
