using MassTransit;

namespace Retab.Runs.Messaging;

/// <summary>
/// What every consumer of this service shares: its queue (fixed names, <see cref="EndpointNames"/>), its retry policy,
/// and on RabbitMQ quorum queues with a delivery limit for the durable ones. A consumer's own settings (prefetch,
/// concurrency) are in its definition; consumers that share a queue share one definition of its settings.
/// </summary>
public abstract class RunsConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly int _deliveryLimit;
    private readonly bool _durable;

    /// <param name="queue">The queue's name; null for a temporary queue of this instance's own (named by MassTransit).</param>
    protected RunsConsumerDefinition(string? queue, BusOptions bus)
    {
        if (queue is not null)
            EndpointName = queue;
        _durable = queue is not null && EndpointNames.Durable.Contains(queue);
        _deliveryLimit = bus.DeliveryLimit;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // Store or broker hiccups are retried in place; a message that still fails goes to <queue>_error (and its
        // fault to whoever handles Fault<T>). An unreadable message fails at once.
        consumerConfigurator.UseMessageRetry(retry =>
        {
            retry.Ignore<InvalidMessageException>();
            retry.Intervals(50, 200, 1000, 3000);
        });
        if (_durable && endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            // Replicated, durable queues. Quorum queues on RabbitMQ 3.10 redeliver forever by default, so a message
            // that keeps killing its consumer (a crash, not an exception) is dropped to dead-lettering after a bounded
            // number of deliveries instead of looping.
            rabbit.SetQuorumQueue();
            rabbit.SetQueueArgument("x-delivery-limit", _deliveryLimit);
        }
    }
}
