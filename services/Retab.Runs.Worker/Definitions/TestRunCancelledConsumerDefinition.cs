using Microsoft.Extensions.Options;
using Retab.Runs.Messaging;
using Retab.Runs.Worker.Consumers;

namespace Retab.Runs.Worker.Definitions;

/// <summary>Cancellations, on a temporary queue of this worker's own, so that every worker hears every one.</summary>
public sealed class TestRunCancelledConsumerDefinition : RunsConsumerDefinition<TestRunCancelledConsumer>
{
    public TestRunCancelledConsumerDefinition(IOptions<BusOptions> bus, IOptions<WorkerOptions> worker)
        : base(queue: null, bus.Value)
    {
        Endpoint(endpoint =>
        {
            endpoint.InstanceId = worker.Value.WorkerId;
            endpoint.Temporary = true;
        });
    }
}
