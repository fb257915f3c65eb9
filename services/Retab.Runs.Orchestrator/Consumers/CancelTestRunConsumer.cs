using MassTransit;
using Retab.Runs.Contracts;
using Retab.Runs.Messaging.Observability;

namespace Retab.Runs.Orchestrator.Consumers;

/// <summary>Cancels a run (see <see cref="RunSaga.CancelAsync"/>): from the gateway's cancel route or any publisher.</summary>
public sealed class CancelTestRunConsumer(RunSaga saga) : IConsumer<CancelTestRun>
{
    public Task Consume(ConsumeContext<CancelTestRun> context)
    {
        SpanTags.Run(context.Message.RunId, context.Message.OrganizationId);
        return saga.CancelAsync(context.Message, context, context.CancellationToken);
    }
}
