using MassTransit;
using Retab.Runs.Contracts;
using Retab.Runs.Messaging.Observability;

namespace Retab.Runs.Orchestrator.Consumers;

/// <summary>Moves a slot to running (written together with whatever else arrived meanwhile, see <see cref="ResultFolding"/>).</summary>
public sealed class WorkflowTestStartedConsumer(ResultFolding folding) : IConsumer<WorkflowTestStarted>
{
    public Task Consume(ConsumeContext<WorkflowTestStarted> context)
    {
        SpanTags.Test(context.Message.RunId, context.Message.TestId, context.Message.OrganizationId);
        return folding.ApplyAsync([ContractMapping.ToSlotEvent(context.Message)], context, context.CancellationToken);
    }
}
