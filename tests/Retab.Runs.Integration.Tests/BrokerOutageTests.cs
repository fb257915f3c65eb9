using System.Diagnostics;
using System.Net;
using Retab.Runs.Integration.Tests.Infrastructure;
using Retab.Runs.Testing;

namespace Retab.Runs.Integration.Tests;

/// <summary>
/// DESIGN §8: <c>/health/ready</c> covers the broker. Stops the real broker (the node behind
/// <c>RETAB_RUNS_RABBITMQ_CTL</c>, or the Testcontainers container) and always starts it again.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class BrokerOutageTests(BrokerFixture broker, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task Gateway_ready_is_503_while_the_broker_is_down_and_200_again_after_it_restarts()
    {
        Skip.If(broker.ControlUnavailableReason is not null, broker.ControlUnavailableReason);
        output.WriteLine(broker.Description);

        await using var vhost = await broker.CreateVirtualHostAsync("outage");
        var folder = Path.Combine(Path.GetTempPath(), "retab-runs-integration", Guid.NewGuid().ToString("n"));
        try
        {
            await using var gateway = await GatewayHost.StartAsync(RunsStack.Settings(vhost.AmqpUri, folder), output);
            using var http = gateway.Client(apiKey: null);
            await WaitForReadyAsync(http, HttpStatusCode.OK, "before the outage");

            var brokerDown = false;
            try
            {
                brokerDown = true;
                await broker.StopBrokerAsync(output);
                await WaitForReadyAsync(http, HttpStatusCode.ServiceUnavailable, "while the broker is down");

                await broker.StartBrokerAsync(output);
                brokerDown = false;
                await WaitForReadyAsync(http, HttpStatusCode.OK, "after the broker restarted");
            }
            finally
            {
                if (brokerDown)
                    await broker.StartBrokerAsync(output);
            }
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    private async Task WaitForReadyAsync(HttpClient http, HttpStatusCode expected, string when)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        await Eventually.WaitAsync(async () =>
        {
            using var response = await http.GetAsync("/health/ready");
            var answer = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (answer != last)
                output.WriteLine($"{clock.Elapsed.TotalSeconds,5:0.0} s: /health/ready -> {answer}");
            last = answer;
            return response.StatusCode == expected;
        }, Patience, () => $"/health/ready to answer {(int)expected} {when} (last answer: {last})", TimeSpan.FromSeconds(1));
        output.WriteLine($"/health/ready answered {last} {when}, after {clock.Elapsed.TotalSeconds:0.0} s");
    }
}
