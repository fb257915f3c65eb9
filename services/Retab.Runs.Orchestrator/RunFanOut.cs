using MassTransit;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Orchestrator;

/// <summary>Sends one <c>ExecuteWorkflowTest</c> per queued slot, in chunks so a 100,000-test run does not build one giant batch.</summary>
public static class RunFanOut
{
    public static async Task SendAsync(IEnumerable<TestResult> slots, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        foreach (var chunk in slots.Where(s => s.Status == SlotStatus.Queued).Chunk(ResultSlots.ChunkSize))
            await publish.PublishBatch(chunk.Select(ContractMapping.ToExecution), cancellationToken);
    }

    /// <summary>
    /// Sends the queued slots of a run as stored, read back a page at a time in id order. Every slot is listed, not
    /// only queued ones, so each store reads one run's results in the order of an index it has ((run, id) in MongoDB,
    /// the id range in LiteDB) instead of sorting the matches of a status filter.
    /// </summary>
    public static async Task SendQueuedAsync(IRunStore runs, TestRun run, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var chunk = new List<ExecuteWorkflowTest>(ResultSlots.ChunkSize);
        string? after = null;
        do
        {
            var page = await runs.ListResultsAsync(run.OrganizationId, new ResultQuery(run.Id),
                new PageRequest(PageRequest.MaxLimit, After: after, Order: SortOrder.Asc), cancellationToken);
            chunk.AddRange(page.Data.Where(s => s.Status == SlotStatus.Queued).Select(ContractMapping.ToExecution));
            after = page.After;
            if (chunk.Count >= ResultSlots.ChunkSize || (after is null && chunk.Count > 0))
            {
                await publish.PublishBatch(chunk, cancellationToken);
                chunk.Clear();
            }
        } while (after is not null);
    }
}
