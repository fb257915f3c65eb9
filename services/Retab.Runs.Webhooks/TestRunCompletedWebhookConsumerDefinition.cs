using Microsoft.Extensions.Options;
using Retab.Runs.Messaging;

namespace Retab.Runs.Webhooks;

/// <summary>
/// Run completions for webhooks, on their own queue (<see cref="EndpointNames.Webhooks"/>): never the orchestrator's
/// result queue, so recording deliveries cannot slow the fan-in of results.
/// </summary>
public sealed class TestRunCompletedWebhookConsumerDefinition(IOptions<BusOptions> bus)
    : RunsConsumerDefinition<TestRunCompletedWebhookConsumer>(EndpointNames.Webhooks, bus.Value);
