using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Retab.Runs.Testing;

namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>
/// Hears every message published to one message type's exchange (<c>Retab.Runs.Contracts:TestRunCompleted</c>) on a
/// durable queue of its own, so nothing published while it is briefly disconnected is lost: the queue and its
/// persistent messages survive a broker restart, and the client reconnects and consumes again by itself. Acked only
/// once recorded; a redelivery is recognised by its MassTransit <c>messageId</c>.
/// <para>
/// With <c>duplicateEach</c> it is also a faulty network: every message it hears is published once more to the same
/// exchange, byte for byte (same <c>messageId</c>), marked with <see cref="CopyHeader"/> so the copy is not copied again.
/// </para>
/// </summary>
public sealed class MessageTap : IAsyncDisposable
{
    public const string CopyHeader = "retab-fault-copy";

    private readonly ConcurrentQueue<TappedMessage> _heard = new();
    private readonly ConcurrentDictionary<string, bool> _copied = new();
    private readonly IConnection _connection;
    private readonly string _exchange;
    private IChannel _consuming = null!;
    private IChannel? _copying;
    private int _copiesSent;

    private MessageTap(IConnection connection, string exchange)
    {
        _connection = connection;
        _exchange = exchange;
    }

    /// <summary>Every delivery, in arrival order (a redelivery after a reconnect appears again).</summary>
    public IReadOnlyCollection<TappedMessage> Heard => _heard;

    /// <summary>Copies this tap published (with <c>duplicateEach</c>) and the broker confirmed.</summary>
    public int CopiesSent => Volatile.Read(ref _copiesSent);

    /// <summary>Distinct messages heard that are not this tap's own copies.</summary>
    public int DistinctOriginals => _heard.Where(m => !m.IsCopy).Select(m => m.MessageId).Distinct().Count();

    public static async Task<MessageTap> StartAsync(Uri amqpUri, string exchange, bool duplicateEach = false)
    {
        var connection = await new ConnectionFactory
        {
            Uri = amqpUri,
            ClientProvidedName = $"retab-fault-tap {exchange}",
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
        }.CreateConnectionAsync();
        var tap = new MessageTap(connection, exchange);
        try
        {
            await tap.ConsumeAsync(duplicateEach);
            return tap;
        }
        catch
        {
            await tap.DisposeAsync();
            throw;
        }
    }

    private async Task ConsumeAsync(bool duplicateEach)
    {
        if (duplicateEach)
            _copying = await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        _consuming = await _connection.CreateChannelAsync();
        // Declared exactly as MassTransit declares a message type's exchange, so whichever side comes first, they agree.
        await _consuming.ExchangeDeclareAsync(_exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = $"retab-fault-tap-{_exchange}-{Guid.NewGuid():n}";
        await _consuming.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await _consuming.QueueBindAsync(queue, _exchange, routingKey: "");
        await _consuming.BasicQosAsync(prefetchSize: 0, prefetchCount: 200, global: false);
        var consumer = new AsyncEventingBasicConsumer(_consuming);
        consumer.ReceivedAsync += OnDeliveryAsync;
        await _consuming.BasicConsumeAsync(queue, autoAck: false, consumer);
    }

    private async Task OnDeliveryAsync(object sender, BasicDeliverEventArgs delivery)
    {
        var body = delivery.Body.ToArray();
        var isCopy = delivery.BasicProperties.Headers?.ContainsKey(CopyHeader) == true;
        var envelope = JsonNode.Parse(body)!;
        var messageId = envelope["messageId"]!.GetValue<string>();
        _heard.Enqueue(new TappedMessage(messageId, envelope, isCopy, DateTimeOffset.UtcNow));
        if (_copying is not null && !isCopy && _copied.TryAdd(messageId, true))
        {
            var properties = new BasicProperties(delivery.BasicProperties)
            {
                Headers = new Dictionary<string, object?>(delivery.BasicProperties.Headers ?? new Dictionary<string, object?>()) { [CopyHeader] = "1" },
            };
            await _copying.BasicPublishAsync(_exchange, routingKey: "", mandatory: false, properties, body);
            Interlocked.Increment(ref _copiesSent);
        }
        await _consuming.BasicAckAsync(delivery.DeliveryTag, multiple: false);
    }

    /// <summary>Waits until a message <paramref name="match"/> accepts has been heard; a timeout names <paramref name="what"/>.</summary>
    public async Task<TappedMessage> WaitForAsync(Func<TappedMessage, bool> match, TimeSpan timeout, string what)
    {
        TappedMessage? found = null;
        await Eventually.WaitAsync(() => Task.FromResult((found = _heard.FirstOrDefault(match)) is not null), timeout, what);
        return found!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_copying is not null)
            await _copying.DisposeAsync();
        if (_consuming is not null)
            await _consuming.DisposeAsync();
        await _connection.CloseAsync();
        _connection.Dispose();
    }
}
