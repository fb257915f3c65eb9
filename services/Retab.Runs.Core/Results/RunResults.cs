using System.Runtime.CompilerServices;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Core.Results;

/// <summary>
/// A run's results one store page at a time, in test id order: a result's id is its run's prefix followed by its test
/// id's suffix (<see cref="ResultSlots"/>), so result id order is test id order and a 100,000-test run is never held
/// in memory at once.
/// </summary>
public static class RunResults
{
    private const int PageSize = PageRequest.MaxLimit;

    /// <param name="ascending">Test id order, or its reverse.</param>
    /// <param name="afterTestId">Start after this test id (in the walking order); null for the first result.</param>
    public static async IAsyncEnumerable<TestResult> ReadAsync(
        IRunStore runs, string organizationId, string runId, bool ascending, string? afterTestId,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = afterTestId is null ? null : ResultIdOf(runId, afterTestId);
        while (true)
        {
            var page = await runs.ListResultsAsync(organizationId, new ResultQuery(runId),
                new PageRequest(PageSize, After: cursor, Order: ascending ? SortOrder.Asc : SortOrder.Desc), cancellationToken);
            foreach (var result in page.Data)
                yield return result;
            if (page.After is null)
                yield break;
            cursor = page.After;
        }
    }

    /// <summary>The id the result of <paramref name="testId"/> in <paramref name="runId"/> has (or would have).</summary>
    public static string ResultIdOf(string runId, string testId) =>
        ResultSlots.IdPrefix(runId) + (ResourceIds.HasPrefix(testId, ResourceIds.Test) ? testId[(ResourceIds.Test.Length + 1)..] : testId);
}
