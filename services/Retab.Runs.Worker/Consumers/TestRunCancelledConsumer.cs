using MassTransit;
using Retab.Runs.Contracts;

namespace Retab.Runs.Worker.Consumers;

/// <summary>Every worker instance hears every cancellation (its own temporary queue), then skips that run's executions.</summary>
public sealed class TestRunCancelledConsumer(CancelledRuns cancelled) : IConsumer<TestRunCancelled>
{
    public Task Consume(ConsumeContext<TestRunCancelled> context)
    {
        cancelled.Add(context.Message.RunId);
        return Task.CompletedTask;
    }
}
