using System.Text.Json;
using MassTransit;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Results;
using Retab.Runs.Messaging;
using Retab.Runs.Messaging.Observability;

namespace Retab.Runs.Orchestrator.Consumers;

/// <summary>
/// Folds a worker's batch of finished tests into their runs with one submission to the fan-in. An entry that cannot
/// be read does not hold the others back: they are stored first, then the message goes to the error queue for that
/// entry (stored entries are no-ops if it is ever replayed) and its slot is left to the sweeper, as for a single one.
/// </summary>
public sealed class WorkflowTestsFinishedConsumer(ResultFolding folding) : IConsumer<WorkflowTestsFinished>
{
    public async Task Consume(ConsumeContext<WorkflowTestsFinished> context)
    {
        var results = context.Message.Results ?? throw new InvalidMessageException("WorkflowTestsFinished has no Results.");
        if (results.Count > 0 && results.All(r => r.RunId == results[0].RunId))
            SpanTags.Run(results[0].RunId, results[0].OrganizationId);
        var events = new List<SlotEvent>(results.Count);
        var unreadable = new List<string>();
        foreach (var finished in results)
        {
            try
            {
                events.Add(ContractMapping.ToSlotEvent(finished));
            }
            catch (JsonException error)
            {
                unreadable.Add($"{finished.ResultId}: {error.Message}");
            }
        }
        await folding.ApplyAsync(events, context, context.CancellationToken);
        if (unreadable.Count > 0)
            throw new InvalidMessageException($"WorkflowTestsFinished holds unreadable assertion results: {string.Join("; ", unreadable)}");
    }
}
