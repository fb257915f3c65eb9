using Microsoft.Extensions.Options;
using Retab.Runs.Messaging;
using Retab.Runs.Worker.Consumers;

namespace Retab.Runs.Worker.Definitions;

/// <summary>Executions, on the queue every worker shares (<see cref="EndpointNames.Execute"/>), as many at once as <see cref="WorkerOptions"/> allow.</summary>
public sealed class ExecuteWorkflowTestConsumerDefinition : RunsConsumerDefinition<ExecuteWorkflowTestConsumer>
{
    public ExecuteWorkflowTestConsumerDefinition(IOptions<BusOptions> bus, IOptions<WorkerOptions> worker)
        : base(EndpointNames.Execute, bus.Value)
    {
        Endpoint(endpoint =>
        {
            endpoint.PrefetchCount = worker.Value.PrefetchCount;
            endpoint.ConcurrentMessageLimit = worker.Value.ConcurrencyLimit;
        });
    }
}
