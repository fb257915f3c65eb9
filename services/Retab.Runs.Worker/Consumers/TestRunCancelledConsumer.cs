using MassTransit;
using Retab.Runs.Contracts;

namespace Retab.Runs.Worker.Consumers;

/// <summary>Every worker instance hears every cancellation (its own temporary queue): it stops that run's executions in progress and skips its queued ones.</summary>
public sealed class TestRunCancelledConsumer(RunCancellations cancellations) : IConsumer<TestRunCancelled>
{
    public Task Consume(ConsumeContext<TestRunCancelled> context)
    {
        cancellations.Cancel(context.Message.RunId);
        return Task.CompletedTask;
    }
}
