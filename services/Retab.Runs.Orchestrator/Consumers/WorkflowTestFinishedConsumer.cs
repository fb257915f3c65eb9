using MassTransit;
using Microsoft.Extensions.Logging;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Results;
using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator.Consumers;

/// <summary>Folds finished tests into their runs, a batch at a time (one store write per batch, DESIGN §4).</summary>
public sealed class WorkflowTestFinishedConsumer(ResultFolding folding, ILogger<WorkflowTestFinishedConsumer> logger)
    : IConsumer<Batch<WorkflowTestFinished>>
{
    public Task Consume(ConsumeContext<Batch<WorkflowTestFinished>> context)
    {
        var events = new List<SlotEvent>(context.Message.Length);
        foreach (var message in context.Message)
        {
            try
            {
                events.Add(ContractMapping.ToSlotEvent(message.Message));
            }
            catch (Exception error) when (error is InvalidMessageException or System.Text.Json.JsonException)
            {
                // One bad event must not fail the batch of good ones; its slot is left to the sweeper (worker_lost).
                logger.LogWarning("Dropped an unreadable WorkflowTestFinished for run {RunId}, result {ResultId}: {Reason}",
                    message.Message.RunId, message.Message.ResultId, error.Message);
            }
        }
        return folding.ApplyAsync(events, context, context.CancellationToken);
    }
}
