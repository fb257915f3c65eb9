using MassTransit;
using Retab.Runs.Core.Results;

namespace Retab.Runs.Orchestrator;

/// <summary>Sends one <c>ExecuteWorkflowTest</c> per queued slot, in chunks so a 100,000-test run does not build one giant batch.</summary>
public static class RunFanOut
{
    public static async Task SendAsync(IEnumerable<TestResult> slots, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        foreach (var chunk in slots.Where(s => s.Status == Core.Runs.SlotStatus.Queued).Chunk(ResultSlots.ChunkSize))
            await publish.PublishBatch(chunk.Select(ContractMapping.ToExecution), cancellationToken);
    }
}
