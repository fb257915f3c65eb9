namespace Retab.Runs.Messaging;

/// <summary>Section <c>Bus</c>: which transport this process uses, and how long it waits on the broker.</summary>
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

    /// <summary>
    /// How long one publish may take before it fails (and its message is retried). Without a bound, a publish caught on
    /// a channel that died with the broker waits forever, and with it the consumer and the endpoint that must stop to reconnect.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a receive endpoint may stay not consuming while the broker answers before the process gives up on its
    /// bus and exits (code <see cref="Health.ReceiveEndpointWatchdog.ExitCode"/>) for its supervisor to restart it.
    /// MassTransit waits up to ~35 s between reconnection attempts, so this must be well above that.
    /// </summary>
    public TimeSpan EndpointStallLimit { get; set; } = TimeSpan.FromSeconds(90);
}
