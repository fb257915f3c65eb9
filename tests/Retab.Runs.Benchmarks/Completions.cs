using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Retab.Runs.Contracts;

namespace Retab.Runs.Benchmarks;

/// <summary>A <c>TestRunCompleted</c> as a subscriber saw it, with the local time it arrived.</summary>
public sealed record RunCompletion(
    string RunId, string Status, int TotalTests,
    int Pending, int Queued, int Running, int Completed, int Error, int Cancelled,
    int Passed, int Failed, int Blocked,
    string? ErrorCode, long ReceivedAt);

/// <summary>
/// The end of runs as announced on the bus: one awaitable per run id, whichever comes first (the wait or the
/// event). Delivery is at least once, so a second event for a run is counted as a duplicate, not an error.
/// </summary>
public sealed class Completions
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RunCompletion>> _runs = new();
    private int _duplicates;

    public int Duplicates => _duplicates;

    public void Signal(RunCompletion completion)
    {
        if (!Entry(completion.RunId).TrySetResult(completion))
            Interlocked.Increment(ref _duplicates);
    }

    public async Task<RunCompletion> WaitAsync(string runId, TimeSpan timeout)
    {
        try
        {
            return await Entry(runId).Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No TestRunCompleted for run {runId} within {timeout.TotalSeconds:0} s.");
        }
    }

    private TaskCompletionSource<RunCompletion> Entry(string runId) =>
        _runs.GetOrAdd(runId, _ => new TaskCompletionSource<RunCompletion>(TaskCreationOptions.RunContinuationsAsynchronously));

    public static RunCompletion From(TestRunCompleted message, long receivedAt) => new(
        message.RunId, message.Status, message.TotalTests,
        message.Counts.Pending, message.Counts.Queued, message.Counts.Running, message.Counts.Completed, message.Counts.Error, message.Counts.Cancelled,
        message.Counts.Passed, message.Counts.Failed, message.Counts.Blocked,
        message.Error?.Code, receivedAt);
}

/// <summary>
/// A third-party subscriber on RabbitMQ: plain RabbitMQ.Client (no MassTransit, no contract types), its own
/// exclusive queue bound to the <c>TestRunCompleted</c> exchange, reading MassTransit's JSON envelope.
/// </summary>
public sealed class RabbitCompletionListener : IAsyncDisposable
{
    public const string Exchange = "Retab.Runs.Contracts:TestRunCompleted";

    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private RabbitCompletionListener(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<RabbitCompletionListener> StartAsync(Uri amqpUri, Completions completions)
    {
        var connection = await new ConnectionFactory { Uri = amqpUri }.CreateConnectionAsync("retab-bench-completion-listener");
        var channel = await connection.CreateChannelAsync();
        // Declared exactly as MassTransit declares message-type exchanges, so this is a no-op when the orchestrator made it.
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = await channel.QueueDeclareAsync(queue: "", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, Exchange, routingKey: "");
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var receivedAt = Stopwatch.GetTimestamp();
            completions.Signal(Parse(delivery.Body.Span, receivedAt));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return new RabbitCompletionListener(connection, channel);
    }

    private static RunCompletion Parse(ReadOnlySpan<byte> body, long receivedAt)
    {
        var message = JsonNode.Parse(body)!["message"]!;
        var counts = message["counts"]!;
        int Count(string name) => counts[name]?.GetValue<int>() ?? 0;
        return new RunCompletion(
            message["runId"]!.GetValue<string>(), message["status"]!.GetValue<string>(), message["totalTests"]?.GetValue<int>() ?? 0,
            Count("pending"), Count("queued"), Count("running"), Count("completed"), Count("error"), Count("cancelled"),
            Count("passed"), Count("failed"), Count("blocked"),
            message["error"]?["code"]?.GetValue<string>(), receivedAt);
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>A MassTransit subscriber (used on the in-memory bus of the embedded composition).</summary>
public sealed class CompletionConsumer(Completions completions) : IConsumer<TestRunCompleted>
{
    public Task Consume(ConsumeContext<TestRunCompleted> context)
    {
        completions.Signal(Completions.From(context.Message, Stopwatch.GetTimestamp()));
        return Task.CompletedTask;
    }
}
