using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Retab.Runs.Benchmarks;

/// <summary>What the broker alone can move: raw RabbitMQ.Client, no MassTransit, no service.</summary>
public sealed record BaselineResult(
    int Messages, int MessageBytes, string QueueType, double Seconds, double MessagesPerSecond, double PublishSeconds, int Redelivered, CpuDelta Cpu);

/// <summary>
/// Scenario 1: persistent messages of a fixed size published with publisher confirms, awaited in windows of
/// <c>--confirm-window</c> (as MassTransit's PublishBatch awaits a chunk), to one durable queue in a private virtual
/// host, consumed on a second connection with per-message acks (as MassTransit acks). Timed from the first publish
/// to the last delivery.
/// </summary>
public static class BrokerBaseline
{
    private const string Queue = "retab-bench-baseline";
    private const ushort Prefetch = 300;

    public static async Task<ScenarioReport> RunScenarioAsync(Broker broker, BenchOptions options)
    {
        var report = new ScenarioReport("broker-baseline");
        var result = await MeasureAsync(broker, options, report);
        Describe(result, report);
        report.Details["baseline_result"] = result;
        if (result.Redelivered > 0)
            report.Notes.Add($"{result.Redelivered} redelivered messages");
        return report;
    }

    public static void Describe(BaselineResult result, ScenarioReport report)
    {
        report.Add("baseline messages/s", result.MessagesPerSecond, "msg/s",
            $"{result.Messages:N0} x {result.MessageBytes} B persistent, confirms, {result.QueueType} queue, first publish -> last consume");
        report.Add("baseline wall time", result.Seconds, "s");
        report.Add("baseline publish phase", result.PublishSeconds, "s", "first publish -> last confirm");
        report.Add("baseline broker CPU per message", result.Cpu.Broker / result.Messages * 1000, "ms",
            $"client {result.Cpu.Self / result.Messages * 1000:0.000} ms; machine {result.Cpu.MachineBusyShare * 100:0}% busy, other work {result.Cpu.Others / Math.Max(result.Cpu.WallSeconds, 1e-9) * 100 / Environment.ProcessorCount:0}% of it");
    }

    public static async Task<BaselineResult> MeasureAsync(Broker broker, BenchOptions options, ScenarioReport report)
    {
        await using var vhost = await broker.CreateVirtualHostAsync("baseline");
        report.Settings["baseline_messages"] = options.BaselineCount;
        report.Settings["baseline_message_bytes"] = options.MessageBytes;
        report.Settings["baseline_confirm_window"] = options.ConfirmWindow;
        report.Settings["baseline_queue_type"] = options.QueueType;

        var factory = new ConnectionFactory { Uri = vhost.AmqpUri, ClientProvidedName = "retab-bench-baseline" };
        await using var publisherConnection = await factory.CreateConnectionAsync("retab-bench-baseline-publisher");
        await using var consumerConnection = await factory.CreateConnectionAsync("retab-bench-baseline-consumer");
        await using var consumerChannel = await consumerConnection.CreateChannelAsync();
        await using var publisherChannel = await publisherConnection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

        var arguments = options.QueueType == "quorum" ? new Dictionary<string, object?> { ["x-queue-type"] = "quorum" } : null;
        await consumerChannel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments);
        await consumerChannel.BasicQosAsync(0, Prefetch, global: false);

        var body = new byte[options.MessageBytes];
        Random.Shared.NextBytes(body);
        var properties = new BasicProperties { DeliveryMode = DeliveryModes.Persistent, ContentType = "application/octet-stream" };

        var counter = new DeliveryCounter();
        var consumer = new AsyncEventingBasicConsumer(consumerChannel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            await consumerChannel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            counter.Delivered(delivery.Redelivered);
        };
        await consumerChannel.BasicConsumeAsync(Queue, autoAck: false, consumer);

        // Warm-up (connections, JIT, queue leader), not timed.
        var warmup = Math.Min(2_000, Math.Max(100, options.BaselineCount / 20));
        await PublishAndDrainAsync(publisherChannel, properties, body, warmup, options.ConfirmWindow, counter, TimeSpan.FromSeconds(60));

        var cpuBefore = CpuSnapshot.Take([]);
        var (seconds, publishSeconds) = await PublishAndDrainAsync(publisherChannel, properties, body, options.BaselineCount, options.ConfirmWindow, counter,
            TimeSpan.FromSeconds(Math.Max(120, options.BaselineCount / 500.0)));
        var cpu = cpuBefore.To(CpuSnapshot.Take([]));
        return new BaselineResult(options.BaselineCount, options.MessageBytes, options.QueueType, seconds, options.BaselineCount / seconds, publishSeconds,
            counter.Redelivered, cpu);
    }

    private static async Task<(double Seconds, double PublishSeconds)> PublishAndDrainAsync(
        IChannel channel, BasicProperties properties, byte[] body, int count, int confirmWindow, DeliveryCounter counter, TimeSpan timeout)
    {
        var done = counter.Expect(count);
        var start = Stopwatch.GetTimestamp();
        var window = new List<ValueTask>(confirmWindow);
        for (var i = 0; i < count; i++)
        {
            window.Add(channel.BasicPublishAsync("", Queue, mandatory: false, properties, body));
            if (window.Count == confirmWindow)
                await DrainWindowAsync(window);
        }
        await DrainWindowAsync(window);
        var published = Stopwatch.GetTimestamp();
        var last = await done.WaitAsync(timeout);
        return (Stopwatch.GetElapsedTime(start, last).TotalSeconds, Stopwatch.GetElapsedTime(start, published).TotalSeconds);
    }

    private static async Task DrainWindowAsync(List<ValueTask> window)
    {
        foreach (var confirm in window)
            await confirm;
        window.Clear();
    }

    /// <summary>Counts deliveries; completes with the timestamp of the delivery that reached the expected number.</summary>
    private sealed class DeliveryCounter
    {
        private readonly Lock _lock = new();
        private int _remaining;
        private TaskCompletionSource<long>? _done;

        public int Redelivered { get; private set; }

        public Task<long> Expect(int count)
        {
            lock (_lock)
            {
                _remaining = count;
                _done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                return _done.Task;
            }
        }

        public void Delivered(bool redelivered)
        {
            var now = Stopwatch.GetTimestamp();
            lock (_lock)
            {
                if (redelivered)
                    Redelivered++;
                if (--_remaining == 0)
                    _done?.TrySetResult(now);
            }
        }
    }
}
