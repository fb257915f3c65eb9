namespace Retab.Runs.Messaging;

/// <summary>Section <c>Bus</c>: which transport this process uses.</summary>
public sealed class BusOptions
{
    public const string Section = "Bus";
    public const string InMemory = "in-memory";
    public const string RabbitMq = "rabbitmq";

    /// <summary><c>in-memory</c> (one process, the standalone default) or <c>rabbitmq</c>.</summary>
    public string Transport { get; set; } = InMemory;

    /// <summary>AMQP URI, e.g. <c>amqp://guest:guest@127.0.0.1:5672/</c>; the path selects the virtual host.</summary>
    public string RabbitMqUri { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary><c>x-delivery-limit</c> of the quorum queues: deliveries of one message before the broker gives up on it.</summary>
    public int DeliveryLimit { get; set; } = 10;
}
