using MassTransit;
using Retab.Runs.Contracts;

namespace Retab.Runs.Orchestrator.Consumers;

/// <summary>Cancels a run (see <see cref="RunSaga.CancelAsync"/>): from the gateway's cancel route or any publisher.</summary>
public sealed class CancelTestRunConsumer(RunSaga saga) : IConsumer<CancelTestRun>
{
    public Task Consume(ConsumeContext<CancelTestRun> context) =>
        saga.CancelAsync(context.Message, context, context.CancellationToken);
}
