using Microsoft.Extensions.Options;
using Retab.Runs.Messaging;
using Retab.Runs.Orchestrator.Consumers;

namespace Retab.Runs.Orchestrator.Definitions;

/// <summary>Run commands, on <see cref="EndpointNames.OrchestratorCommands"/>.</summary>
public sealed class CreateTestRunConsumerDefinition(IOptions<BusOptions> bus)
    : RunsConsumerDefinition<CreateTestRunConsumer>(EndpointNames.OrchestratorCommands, bus.Value);

/// <inheritdoc cref="CreateTestRunConsumerDefinition"/>
public sealed class CancelTestRunConsumerDefinition(IOptions<BusOptions> bus)
    : RunsConsumerDefinition<CancelTestRunConsumer>(EndpointNames.OrchestratorCommands, bus.Value);

/// <summary>Workers' document requests, on <see cref="EndpointNames.Documents"/>.</summary>
public sealed class GetDocumentContentConsumerDefinition(IOptions<BusOptions> bus)
    : RunsConsumerDefinition<GetDocumentContentConsumer>(EndpointNames.Documents, bus.Value);
