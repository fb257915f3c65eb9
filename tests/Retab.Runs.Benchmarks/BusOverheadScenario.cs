using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retab.Runs.Contracts;
using Retab.Runs.Messaging;

namespace Retab.Runs.Benchmarks;

/// <summary>
/// What MassTransit costs per message here, next to raw RabbitMQ.Client in the same run (scenario 1, the broker
/// baseline). The service's own bus composition (<see cref="BusServiceCollectionExtensions.AddRunsBus"/>: its serializer,
/// its consumer definitions with retry, quorum queue and delivery limit, the worker's prefetch and concurrency) carries
/// <c>--count</c> <see cref="ExecuteWorkflowTest"/> messages of the size the dispatcher sends, published in chunks as the
/// dispatcher publishes them, to a consumer that does nothing. The figure is this process's CPU per message (publish,
/// consume, acknowledge) and the broker's, from the first publish to the last consume.
/// </summary>
public static class BusOverheadScenario
{
    private const int Chunk = 1_000;

    public static async Task<ScenarioReport> RunAsync(Broker broker, BenchOptions options, BaselineResult? baseline)
    {
        var report = new ScenarioReport("bus-overhead");
        var count = options.Count ?? 20_000;
        report.Settings["messages"] = count;
        baseline ??= await BrokerBaseline.MeasureAsync(broker, options, report);
        BrokerBaseline.Describe(baseline, report);

        await using var vhost = await broker.CreateVirtualHostAsync("bus-overhead");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:Transport"] = BusOptions.RabbitMq,
            ["Bus:RabbitMqUri"] = vhost.AmqpUri.ToString(),
        });
        var received = new ReceivedCounter();
        builder.Services.AddSingleton(received);
        builder.Services.AddRunsBus(builder.Configuration, bus => bus.AddConsumer<IdleExecutionConsumer, IdleExecutionConsumerDefinition>());
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            var publisher = host.Services.GetRequiredService<BoundedPublisher>();
            var message = SampleExecution();
            report.Settings["message_json_bytes"] = JsonSerializer.SerializeToUtf8Bytes(message).Length;

            // Warm-up: connections, topology, JIT to steady state.
            await PublishAndDrainAsync(bus, publisher, message, Math.Max(2_000, count / 5), received);
            await Task.Delay(TimeSpan.FromSeconds(2));

            var before = CpuSnapshot.Take([]);
            var seconds = await PublishAndDrainAsync(bus, publisher, message, count, received);
            var cpu = before.To(CpuSnapshot.Take([]));

            var selfPerMessage = cpu.Self / count * 1000;
            var rawPerMessage = baseline.Cpu.Self / baseline.Messages * 1000;
            report.Add("MassTransit messages/s", count / seconds, "msg/s", "publish in chunks of 1,000 -> idle consumer, first publish -> last consume");
            report.Add("MassTransit process CPU per message", selfPerMessage, "ms", "publish + consume + ack, in this process");
            report.Add("raw RabbitMQ.Client CPU per message", rawPerMessage, "ms", "the baseline's client, same run");
            report.Add("MassTransit over raw", selfPerMessage / Math.Max(rawPerMessage, 1e-9), "x");
            report.Add("broker CPU per message (MassTransit)", cpu.Broker / count * 1000, "ms",
                $"raw baseline {baseline.Cpu.Broker / baseline.Messages * 1000:0.000} ms; machine {cpu.MachineBusyShare * 100:0}% busy");
            report.Notes.Add(cpu.Describe(count));
        }
        finally
        {
            await host.StopAsync();
        }
        return report;
    }

    private static async Task<double> PublishAndDrainAsync(IBus bus, BoundedPublisher publisher, ExecuteWorkflowTest message, int count, ReceivedCounter received)
    {
        var done = received.Expect(count);
        var start = Stopwatch.GetTimestamp();
        for (var sent = 0; sent < count; sent += Chunk)
            await publisher.PublishBatch(bus, Enumerable.Repeat(message, Math.Min(Chunk, count - sent)), CancellationToken.None);
        var last = await done.WaitAsync(TimeSpan.FromMinutes(5));
        return Stopwatch.GetElapsedTime(start, last).TotalSeconds;
    }

    /// <summary>A function-block execution of the size the throughput scenario's tests have.</summary>
    private static ExecuteWorkflowTest SampleExecution()
    {
        var json = JsonDocument.Parse("""
            {"block": {"code": "export default function main(input) { return { total: input.a + input.b }; }"},
             "inputs": {"input": {"type": "json", "data": {"a": 1, "b": 2}}},
             "assertion": {"id": "as_bench", "target": {"path": "total"}, "condition": {"kind": "equals", "expected": 3}}}
            """).RootElement;
        return new ExecuteWorkflowTest
        {
            RunId = "wftestrun_01m8bench00000000000000000000000",
            OrganizationId = "org_bench",
            TestId = "wftest_01m8bench00000000000000000000000",
            ResultId = "wftestresult_01m8bench000000000000000000000",
            Block = new BlockSnapshot("function-1", "function", "Add", json.GetProperty("block")),
            HandleInputs = json.GetProperty("inputs"),
            Assertion = json.GetProperty("assertion"),
            Fingerprints = new ExecutionFingerprints(new string('a', 64), new string('b', 64), new string('c', 64), new string('d', 64)),
            Deadline = DateTimeOffset.UtcNow.AddHours(1),
        };
    }

    public sealed class IdleExecutionConsumer(ReceivedCounter received) : IConsumer<ExecuteWorkflowTest>
    {
        public Task Consume(ConsumeContext<ExecuteWorkflowTest> context)
        {
            received.Received();
            return Task.CompletedTask;
        }
    }

    /// <summary>The worker's execution endpoint settings (<c>ExecuteWorkflowTestConsumerDefinition</c>) for the idle consumer.</summary>
    public sealed class IdleExecutionConsumerDefinition : RunsConsumerDefinition<IdleExecutionConsumer>
    {
        public IdleExecutionConsumerDefinition(IOptions<BusOptions> bus)
            : base(EndpointNames.Execute, bus.Value)
        {
            var worker = new Worker.WorkerOptions();
            Endpoint(endpoint =>
            {
                endpoint.PrefetchCount = worker.PrefetchCount;
                endpoint.ConcurrentMessageLimit = worker.ConcurrencyLimit;
            });
        }
    }

    public sealed class ReceivedCounter
    {
        private int _remaining;
        private TaskCompletionSource<long> _done = new();

        public Task<long> Expect(int count)
        {
            _done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _remaining, count);
            return _done.Task;
        }

        public void Received()
        {
            if (Interlocked.Decrement(ref _remaining) == 0)
                _done.TrySetResult(Stopwatch.GetTimestamp());
        }
    }
}
