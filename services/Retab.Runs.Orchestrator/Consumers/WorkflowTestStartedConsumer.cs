using MassTransit;
using Retab.Runs.Contracts;

namespace Retab.Runs.Orchestrator.Consumers;

/// <summary>Moves slots to running, a batch at a time.</summary>
public sealed class WorkflowTestStartedConsumer(ResultFolding folding) : IConsumer<Batch<WorkflowTestStarted>>
{
    public Task Consume(ConsumeContext<Batch<WorkflowTestStarted>> context) =>
        folding.ApplyAsync(context.Message.Select(m => ContractMapping.ToSlotEvent(m.Message)).ToList(), context, context.CancellationToken);
}
