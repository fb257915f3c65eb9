using System.Text.Json;
using MassTransit;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Results;
using Retab.Runs.Messaging;
using Retab.Runs.Messaging.Observability;

namespace Retab.Runs.Orchestrator.Consumers;

/// <summary>Folds a finished test into its run (written together with whatever else arrived meanwhile, see <see cref="ResultFolding"/>).</summary>
public sealed class WorkflowTestFinishedConsumer(ResultFolding folding) : IConsumer<WorkflowTestFinished>
{
    public Task Consume(ConsumeContext<WorkflowTestFinished> context)
    {
        SpanTags.Test(context.Message.RunId, context.Message.TestId, context.Message.OrganizationId);
        SpanTags.Verdict(context.Message.Verdict ?? context.Message.Lifecycle);
        SlotEvent finished;
        try
        {
            finished = ContractMapping.ToSlotEvent(context.Message);
        }
        catch (JsonException error)
        {
            // Unreadable, not unlucky: straight to the error queue, no retries. The slot is left to the sweeper (worker_lost).
            throw new InvalidMessageException($"WorkflowTestFinished {context.Message.ResultId} has an unreadable assertion result: {error.Message}");
        }
        return folding.ApplyAsync([finished], context, context.CancellationToken);
    }
}
