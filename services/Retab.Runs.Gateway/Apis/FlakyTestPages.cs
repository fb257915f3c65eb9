using Retab.Runs.Core.Common;
using Retab.Runs.Core.Workflows;
using Retab.Runs.Gateway.Responses;

namespace Retab.Runs.Gateway.Apis;

/// <summary>
/// A page of a workflow's tests filtered by flakiness (<c>GET /v1/workflows/tests?flaky=…</c>). Flakiness is computed at
/// read time, so no store can filter on it: this walks the tests in the page's order, a store page at a time, keeps the
/// ones that match, and stops once it has one more than the page (which says more follow) or the tests run out. The
/// cursors then mean what they mean on every other list. The cost is one bounded flaky query per test scanned, plus the
/// rest of the read model for the matches only: a page of rare matches in a large workflow reads many tests.
/// </summary>
public static class FlakyTestPages
{
    public static async Task<Page<TestResponse>> ReadAsync(
        GatewayServices s, Workflow workflow, string? targetBlockId, bool flaky, PageRequest page)
    {
        var walked = new List<TestResponse>(page.ItemsToRead);
        var chunk = page with { Limit = PageRequest.MaxLimit };
        while (walked.Count < page.ItemsToRead)
        {
            var tests = await s.Tests.ListAsync(s.OrganizationId, workflow.Id, targetBlockId, chunk, s.Aborted);
            // A store page is in display order; walking back from a `before` cursor takes the tests nearest it first.
            var inWalkOrder = page.WalksBackwards ? tests.Data.Reverse() : tests.Data;
            foreach (var test in inWalkOrder)
            {
                var report = await s.ReadModels.FlakyAsync(test, workflow, s.Aborted);
                if (report.IsFlaky != flaky)
                    continue;
                walked.Add(await s.ReadModels.TestAsync(test, workflow, report, s.Aborted));
                if (walked.Count == page.ItemsToRead)
                    break;
            }

            var next = page.WalksBackwards ? tests.Before : tests.After;
            if (next is null)
                break;
            chunk = page.WalksBackwards ? chunk with { Before = next, After = null } : chunk with { After = next, Before = null };
        }
        return Page<TestResponse>.FromWalk(walked, page, t => t.Id);
    }
}
