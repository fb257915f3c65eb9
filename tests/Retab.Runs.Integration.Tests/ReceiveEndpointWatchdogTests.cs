using System.Diagnostics;
using Retab.Runs.Integration.Tests.Infrastructure;
using Retab.Runs.Messaging;
using Retab.Runs.Testing;

namespace Retab.Runs.Integration.Tests;

/// <summary>
/// A worker whose execution endpoint cannot consume while the broker answers exits for its supervisor to restart it,
/// instead of sitting idle with a full queue. The endpoint is stopped for real: the worker's user may no longer read
/// (consume) its queue, and the queue is deleted so the broker cancels the consumer; every reconnection of that endpoint
/// then fails while the connection itself is fine — the state a MassTransit endpoint can be left in after a broker restart.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class ReceiveEndpointWatchdogTests(BrokerFixture broker, ITestOutputHelper output)
{
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(10);

    [SkippableFact]
    public async Task A_worker_whose_execute_endpoint_cannot_consume_while_the_broker_answers_exits_with_code_75()
    {
        Skip.If(broker.SkipReason is not null, broker.SkipReason);
        await using var vhost = await broker.CreateVirtualHostAsync("watchdog");
        await using var worker = ServiceProcess.Worker("it-watchdog", ServiceProcess.OnBroker(vhost.AmqpUri, new Dictionary<string, string>
        {
            ["Bus:EndpointStallLimit"] = StallLimit.ToString(),
        }), output);
        await Eventually.WaitAsync(async () => await vhost.ConsumerCountAsync(EndpointNames.Execute) == 1,
            TimeSpan.FromSeconds(60), $"the worker consuming {EndpointNames.Execute}");

        await vhost.SetPermissionsAsync(configure: ".*", write: ".*", read: $"^(?!{EndpointNames.Execute}$).*");
        await vhost.DeleteQueueAsync(EndpointNames.Execute);
        var clock = Stopwatch.StartNew();

        Assert.True(await worker.WaitForExitAsync(TimeSpan.FromSeconds(90)),
            $"the worker still runs {clock.Elapsed.TotalSeconds:0} s after its endpoint stopped:\n{worker.Tail()}");
        output.WriteLine($"The worker exited {clock.Elapsed.TotalSeconds:0.0} s after its endpoint stopped, with code {worker.ExitCode}");
        Assert.Equal(75, worker.ExitCode);
        Assert.Contains("stopped consuming", worker.Tail());
    }
}
