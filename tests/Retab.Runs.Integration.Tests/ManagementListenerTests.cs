using System.Net;
using System.Net.Sockets;
using Retab.Runs.Integration.Tests.Infrastructure;
using Retab.Runs.Messaging;
using Retab.Runs.Testing;

namespace Retab.Runs.Integration.Tests;

/// <summary>
/// The orchestrator's and worker's management listener, on the real processes: with <c>Management:Urls</c> they serve
/// <c>/health/live</c>, <c>/health/ready</c> and (with <c>Metrics:Prometheus</c>) <c>/metrics</c>; without it a worker
/// opens no port at all, so several can share one machine.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class ManagementListenerTests(BrokerFixture broker, ITestOutputHelper output)
{
    private const string BlockId = "block_double";
    private const string Code = "function main(input) { return { v: input.v * 2 }; }";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Orchestrator_and_worker_answer_health_and_runtime_metrics_in_Prometheus_text_on_their_listener()
    {
        Skip.If(broker.SkipReason is not null, broker.SkipReason);
        var (orchestrator, worker) = (FreeLoopbackAddress(), FreeLoopbackAddress());
        await using var stack = await StartStackAsync("management", orchestrator, worker);

        foreach (var (service, address) in new[] { ("orchestrator", orchestrator), ("worker", worker) })
        {
            using var http = Client(address);
            using var live = await http.GetAsync("/health/live");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            await Eventually.WaitAsync(async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
                Patience, $"the {service}'s /health/ready to answer 200 with the broker up", throughHttpErrors: true);

            var (contentType, metrics) = await ScrapeAsync(http);
            output.WriteLine($"{service} /metrics: {contentType}, {metrics.Length} characters");
            Assert.Equal("text/plain", contentType);
            Assert.Contains("\nprocess_", metrics);
            Assert.Contains("\ndotnet_", metrics);

            // The listener's errors in the API's shape: a body with detail, no framework page.
            using var unknown = await http.GetAsync("/v1/workflows");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Contains("\"detail\"", await unknown.Content.ReadAsStringAsync());
        }
    }

    /// <summary>
    /// The Retab.Runs series each service records on a real run. Needs the recordings of the "signals" branch (RunSaga,
    /// ResultFolding, the worker's consumer): without them the series are registered but never move.
    /// </summary>
    [SkippableFact]
    public async Task A_run_moves_the_Retab_Runs_series_each_service_records()
    {
        Skip.If(broker.SkipReason is not null, broker.SkipReason);
        var (orchestrator, worker) = (FreeLoopbackAddress(), FreeLoopbackAddress());
        await using var stack = await StartStackAsync("management-run", orchestrator, worker);
        var api = stack.Api();
        var workflowId = await api.CreateFunctionWorkflowAsync(BlockId, Code);
        for (var v = 1; v <= 3; v++)
            await api.CreateTestAsync(workflowId, BlockId, new JsonObject { ["v"] = v }, "v", new JsonObject { ["kind"] = "equals", ["expected"] = v * 2 });
        var run = await api.WaitForTerminalAsync(await api.StartRunAsync(workflowId), Patience);
        Assert.Equal(3, run["counts"]!["passed"]!.GetValue<int>());

        await ExpectSeriesAsync(worker, "worker", "retab_runs_test_execution_duration_seconds_count");
        await ExpectSeriesAsync(orchestrator, "orchestrator", "retab_runs_tests_finished_total{");
        await ExpectSeriesAsync(orchestrator, "orchestrator", "retab_runs_fan_in_batch_size_count");
    }

    [SkippableFact]
    public async Task A_worker_whose_model_endpoint_does_not_answer_is_live_but_not_ready_and_says_no_more()
    {
        Skip.If(broker.SkipReason is not null, broker.SkipReason);
        await using var vhost = await broker.CreateVirtualHostAsync("management-model");
        var listener = FreeLoopbackAddress();
        var closed = FreeLoopbackAddress(); // nothing listens there once the probe is closed
        await using var worker = ServiceProcess.Worker("it-model-unreachable", ServiceProcess.OnBroker(vhost.AmqpUri, new Dictionary<string, string>
        {
            ["Management:Urls"] = listener.ToString().TrimEnd('/'),
            ["Models:BaseUrl"] = new Uri(closed, "v1").ToString(),
        }), output);
        await WaitUntilConsumingAsync(vhost, worker);
        using var http = Client(listener);

        using var live = await http.GetAsync("/health/live");
        using var ready = await http.GetAsync("/health/ready");
        var body = await ready.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", body);
        Assert.DoesNotContain("   at ", body);
        Assert.Contains(listener.Port, ListeningSockets.Of(worker.ProcessId).Select(ListeningSockets.Port));
    }

    [SkippableFact]
    public async Task A_worker_without_Management_Urls_listens_on_no_port()
    {
        Skip.If(broker.SkipReason is not null, broker.SkipReason);
        await using var vhost = await broker.CreateVirtualHostAsync("management-none");
        await using var worker = ServiceProcess.Worker("it-no-listener", ServiceProcess.OnBroker(vhost.AmqpUri, new Dictionary<string, string>
        {
            ["Metrics:Prometheus"] = "true",
        }), output);
        await WaitUntilConsumingAsync(vhost, worker);

        Assert.Empty(ListeningSockets.Of(worker.ProcessId));
        Assert.DoesNotContain("Now listening on", worker.Tail());
    }

    private Task<ProcessStack> StartStackAsync(string purpose, Uri orchestrator, Uri worker) =>
        ProcessStack.StartAsync(broker, output, purpose, new StackSettings(["it-management-worker"])
        {
            Orchestrator = Management(orchestrator),
            Worker = Management(worker),
        }, databaseFile: null);

    private static Dictionary<string, string> Management(Uri address) => new()
    {
        ["Management:Urls"] = address.ToString().TrimEnd('/'),
        ["Metrics:Prometheus"] = "true",
    };

    private async Task ExpectSeriesAsync(Uri address, string service, string series)
    {
        using var http = Client(address);
        var last = "";
        await Eventually.WaitAsync(async () =>
            {
                (_, last) = await ScrapeAsync(http);
                return last.Contains(series, StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(20),
            () => $"the {service}'s /metrics to show {series}; its retab_runs_ lines:\n{string.Join('\n', last.Split('\n').Where(l => l.StartsWith("retab_runs_", StringComparison.Ordinal)))}");
    }

    private static async Task WaitUntilConsumingAsync(IsolatedVirtualHost vhost, ServiceProcess worker) =>
        await Eventually.WaitAsync(async () =>
            {
                if (worker.HasExited)
                    throw new InvalidOperationException($"{worker.Name} exited during start:\n{worker.Tail()}");
                return await vhost.ConsumerCountAsync(EndpointNames.Execute) >= 1;
            },
            TimeSpan.FromSeconds(90), $"{worker.Name} to consume {EndpointNames.Execute}", throughHttpErrors: true);

    private static async Task<(string? ContentType, string Body)> ScrapeAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private static HttpClient Client(Uri address) => new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };

    private static Uri FreeLoopbackAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
    }
}
