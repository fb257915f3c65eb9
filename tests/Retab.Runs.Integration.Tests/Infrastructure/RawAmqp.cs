using System.Collections.Concurrent;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Retab.Runs.Testing;

namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>
/// A client that is not this codebase: plain RabbitMQ.Client, raw bytes, no MassTransit and no contract types.
/// Publishes with confirms and <c>mandatory</c>, so an unroutable message (topology missing) fails loudly.
/// </summary>
public sealed class RawAmqp : IAsyncDisposable
{
    /// <summary>What MassTransit reads as its JSON envelope.</summary>
    public const string EnvelopeContentType = "application/vnd.masstransit+json";

    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private RawAmqp(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<RawAmqp> ConnectAsync(Uri amqpUri)
    {
        var connection = await new ConnectionFactory { Uri = amqpUri, ClientProvidedName = "retab-runs-integration-raw-client" }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return new RawAmqp(connection, channel);
    }

    /// <summary>Publishes <paramref name="body"/> as is to <paramref name="exchange"/> (which must already exist and route somewhere).</summary>
    public async Task PublishAsync(string exchange, byte[] body, string messageId, string contentType = EnvelopeContentType)
    {
        var properties = new BasicProperties
        {
            ContentType = contentType,
            MessageId = messageId,
            DeliveryMode = DeliveryModes.Persistent,
        };
        await _channel.BasicPublishAsync(exchange, routingKey: "", mandatory: true, properties, body);
    }

    public Task PublishAsync(string exchange, string json, string messageId) => PublishAsync(exchange, Encoding.UTF8.GetBytes(json), messageId);

    /// <summary>One <c>basic.get</c> (auto-ack) on an existing queue; null when it is empty.</summary>
    public Task<BasicGetResult?> GetAsync(string queue) => _channel.BasicGetAsync(queue, autoAck: true);

    /// <summary>
    /// A subscriber's own queue (server-named, exclusive) bound to a message type's exchange. The fanout exchange is
    /// declared exactly as MassTransit declares it (durable, not auto-delete), so the declaration is a no-op when a
    /// service already created it and never conflicts with one.
    /// </summary>
    public async Task<Subscription> SubscribeAsync(string exchange)
    {
        var channel = await _connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = await channel.QueueDeclareAsync(queue: "", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, exchange, routingKey: "");
        var subscription = new Subscription(channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            subscription.Add(delivery.Body.ToArray());
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return subscription;
    }

    public static string HeaderText(IReadOnlyBasicProperties properties, string name) =>
        properties.Headers is { } headers && headers.TryGetValue(name, out var value)
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                null => "",
                _ => value.ToString() ?? "",
            }
            : throw new Xunit.Sdk.XunitException(
                $"Header '{name}' is missing; headers: {string.Join(", ", properties.Headers?.Keys ?? [])}");

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }

    /// <summary>Messages received on a subscriber queue, as raw bytes.</summary>
    public sealed class Subscription(IChannel channel) : IAsyncDisposable
    {
        private readonly ConcurrentQueue<byte[]> _received = new();

        public IReadOnlyCollection<byte[]> Received => _received;

        internal void Add(byte[] body) => _received.Enqueue(body);

        /// <summary>Waits for a JSON envelope that <paramref name="match"/> accepts and returns it parsed.</summary>
        public async Task<JsonNode> WaitForAsync(Func<JsonNode, bool> match, TimeSpan timeout, string what)
        {
            JsonNode? found = null;
            await Eventually.WaitAsync(() =>
            {
                found = _received.Select(b => JsonNode.Parse(b)!).FirstOrDefault(match);
                return Task.FromResult(found is not null);
            }, timeout, what);
            return found!;
        }

        public async ValueTask DisposeAsync()
        {
            await channel.CloseAsync();
            channel.Dispose();
        }
    }
}
