using MassTransit;
using Microsoft.Extensions.Options;
using Retab.Runs.Messaging;
using Retab.Runs.Orchestrator.Consumers;

namespace Retab.Runs.Orchestrator.Definitions;

/// <summary>
/// Per-test events from workers, on <see cref="EndpointNames.OrchestratorResults"/>: enough of them in flight for a full
/// store write to gather while the previous one is written (<see cref="ResultFolding"/>).
/// </summary>
public abstract class OrchestratorResultsDefinition<TConsumer> : RunsConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected OrchestratorResultsDefinition(BusOptions bus, OrchestratorOptions orchestrator)
        : base(EndpointNames.OrchestratorResults, bus)
    {
        var inFlight = orchestrator.ResultBatchSize * 2 + 16;
        Endpoint(endpoint =>
        {
            endpoint.PrefetchCount = inFlight;
            endpoint.ConcurrentMessageLimit = inFlight;
        });
    }
}

/// <inheritdoc />
public sealed class WorkflowTestStartedConsumerDefinition(IOptions<BusOptions> bus, IOptions<OrchestratorOptions> orchestrator)
    : OrchestratorResultsDefinition<WorkflowTestStartedConsumer>(bus.Value, orchestrator.Value);

/// <inheritdoc />
public sealed class WorkflowTestFinishedConsumerDefinition(IOptions<BusOptions> bus, IOptions<OrchestratorOptions> orchestrator)
    : OrchestratorResultsDefinition<WorkflowTestFinishedConsumer>(bus.Value, orchestrator.Value);

/// <inheritdoc />
public sealed class WorkflowTestsFinishedConsumerDefinition(IOptions<BusOptions> bus, IOptions<OrchestratorOptions> orchestrator)
    : OrchestratorResultsDefinition<WorkflowTestsFinishedConsumer>(bus.Value, orchestrator.Value);

/// <inheritdoc />
public sealed class ExecutionFaultConsumerDefinition(IOptions<BusOptions> bus, IOptions<OrchestratorOptions> orchestrator)
    : OrchestratorResultsDefinition<ExecutionFaultConsumer>(bus.Value, orchestrator.Value);
