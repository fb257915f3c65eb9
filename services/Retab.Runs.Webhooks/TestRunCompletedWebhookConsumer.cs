using MassTransit;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Webhooks;

namespace Retab.Runs.Webhooks;

/// <summary>
/// Turns a finished run into one pending delivery per subscribed webhook and event: <c>test_run.completed</c> for
/// every terminal run, <c>test_run.regressed</c> as well when it has regressions. It only writes to the store; the
/// <see cref="WebhookSender"/> sends, so a receiver that is down or slow never holds up this queue, let alone runs.
/// <c>TestRunCompleted</c> arrives at least once: a redelivery finds its deliveries stored and adds none.
/// </summary>
public sealed class TestRunCompletedWebhookConsumer(IWebhookStore webhooks, DeliverySignal signal, TimeProvider time) : IConsumer<TestRunCompleted>
{
    public async Task Consume(ConsumeContext<TestRunCompleted> context)
    {
        var run = context.Message;
        var now = Clock.Now(time);
        var recorded = 0;
        foreach (var eventType in EventsOf(run))
        {
            var payload = WebhookPayload.Of(eventType, run, run.CompletedAt ?? now).ToJson();
            foreach (var webhook in await webhooks.SubscribersAsync(run.OrganizationId, eventType, context.CancellationToken))
            {
                var delivery = new WebhookDelivery(
                    ResourceIds.New(ResourceIds.WebhookMessage, now), webhook.Id, webhook.OrganizationId, eventType, run.RunId, payload,
                    [], DeliveryStatus.Pending, now, now);
                if (await webhooks.InsertDeliveryAsync(delivery, context.CancellationToken))
                    recorded++;
            }
        }
        if (recorded > 0)
            signal.Raise();
    }

    public static IEnumerable<string> EventsOf(TestRunCompleted run)
    {
        yield return WebhookEvents.TestRunCompleted;
        if (run.Regressions > 0)
            yield return WebhookEvents.TestRunRegressed;
    }
}
