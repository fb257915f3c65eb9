using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Retab.Runs.Contracts;
using Retab.Runs.Integration.Tests.Infrastructure;
using Retab.Runs.Messaging;
using Retab.Runs.Testing;

namespace Retab.Runs.Integration.Tests;

/// <summary>
/// The queues the services declare, as the broker reports them, hold on RabbitMQ 3.10 and 4.x alike: every durable work
/// queue is a quorum queue with its own delivery limit (4.0 gave quorum queues a default limit of 20, 3.10 none), and
/// no queue is transient without being exclusive (deprecated in 4.0, refused by default since 4.3).
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class QueueTopologyTests(BrokerFixture broker, ITestOutputHelper output)
{
    private const int DeliveryLimit = 7;

    [SkippableFact]
    public async Task Work_queues_are_quorum_queues_with_the_configured_delivery_limit_and_temporary_queues_are_exclusive()
    {
        Skip.If(broker.SkipReason is not null, broker.SkipReason);
        output.WriteLine(broker.Description);

        await using var vhost = await broker.CreateVirtualHostAsync("topology");
        var folder = Path.Combine(Path.GetTempPath(), "retab-runs-integration", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        var settings = RunsStack.Settings(vhost.AmqpUri, folder);
        settings["Bus:DeliveryLimit"] = DeliveryLimit.ToString();
        try
        {
            await using var orchestrator = await ServiceHost.StartOrchestratorAsync(settings, output);
            await using var worker = await ServiceHost.StartWorkerAsync(
                new Dictionary<string, string?>(settings) { ["Worker:WorkerId"] = "it-topology-worker" }, output, "worker");
            await Eventually.WaitAsync(async () =>
                    await vhost.ConsumerCountAsync(EndpointNames.OrchestratorCommands) >= 1
                    && await vhost.ConsumerCountAsync(EndpointNames.Execute) >= 1
                    && (await vhost.QueuesAsync()).Any(q => Name(q).Contains("it-topology-worker", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(60), "the orchestrator's and the worker's queues");

            // A request declares the worker's bus endpoint (where answers arrive), the one queue MassTransit names itself.
            await using (var scope = worker.Services.CreateAsyncScope())
            {
                var client = scope.ServiceProvider.GetRequiredService<IRequestClient<GetDocumentContent>>();
                var answer = await client.GetResponse<DocumentContentFound, DocumentUnavailable>(
                    new GetDocumentContent { OrganizationId = "org_topology", FileId = "file_missing" }, timeout: RequestTimeout.After(s: 30));
                Assert.True(answer.Is(out Response<DocumentUnavailable>? _), "a missing file is answered with DocumentUnavailable");
            }

            var queues = await vhost.QueuesAsync();
            foreach (var queue in queues)
                output.WriteLine($"{Name(queue)}: durable={Flag(queue, "durable")} exclusive={Flag(queue, "exclusive")} " +
                                 $"auto_delete={Flag(queue, "auto_delete")} arguments={queue!["arguments"]?.ToJsonString()}");

            // The test's orchestrator host leaves the webhook consumer out (as RunsStack does); its queue has the same definition base.
            foreach (var name in EndpointNames.Durable.Where(n => n != EndpointNames.Webhooks))
            {
                var queue = queues.SingleOrDefault(q => Name(q) == name);
                Assert.True(queue is not null, $"queue {name} was declared");
                Assert.Equal("quorum", queue["arguments"]?["x-queue-type"]?.GetValue<string>());
                Assert.Equal(DeliveryLimit, queue["arguments"]?["x-delivery-limit"]?.GetValue<int>());
            }

            var transientShared = queues.Where(q => !Flag(q, "durable") && !Flag(q, "exclusive")).Select(Name).ToList();
            Assert.True(transientShared.Count == 0, $"transient non-exclusive queues (refused by RabbitMQ 4.3): {string.Join(", ", transientShared)}");

            var temporary = queues.Where(q => !Flag(q, "durable")).Select(Name).ToList();
            Assert.Contains(temporary, name => name.Contains("it-topology-worker", StringComparison.Ordinal));
            Assert.Contains(temporary, name => name.Contains("_bus_", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Name(JsonNode? queue) => queue?["name"]?.GetValue<string>() ?? "";

    private static bool Flag(JsonNode? queue, string name) => queue?[name]?.GetValue<bool>() ?? false;
}
