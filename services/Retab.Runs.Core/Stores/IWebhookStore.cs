using Retab.Runs.Core.Common;
using Retab.Runs.Core.Webhooks;

namespace Retab.Runs.Core.Stores;

/// <summary>
/// Webhook subscriptions and their deliveries. Everything a route reads is scoped to an organization: another
/// organization's webhook is simply not found. Sending is coordinated through the store alone: a sender reads what is
/// due (<see cref="DueDeliveriesAsync"/>), claims each delivery with a conditional update (<see cref="TryClaimAsync"/>),
/// and records the attempt only while its claim still holds (<see cref="RecordAttemptAsync"/>).
/// </summary>
public interface IWebhookStore
{
    Task InsertAsync(Webhook webhook, CancellationToken cancellationToken = default);

    Task<Webhook?> GetAsync(string organizationId, string webhookId, CancellationToken cancellationToken = default);

    /// <summary>The organization's webhooks, paged by id (creation order).</summary>
    Task<Page<Webhook>> ListAsync(string organizationId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Every webhook of the organization subscribed to <paramref name="eventType"/>.</summary>
    Task<IReadOnlyList<Webhook>> SubscribersAsync(string organizationId, string eventType, CancellationToken cancellationToken = default);

    /// <summary>Deletes the webhook and its deliveries (pending ones are never sent); false when the organization has no such webhook.</summary>
    Task<bool> DeleteAsync(string organizationId, string webhookId, CancellationToken cancellationToken = default);

    /// <summary>Stores a new delivery; false when one with the same <see cref="WebhookDelivery.Key"/> exists (that one is kept).</summary>
    Task<bool> InsertDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default);

    Task<WebhookDelivery?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>The deliveries of one webhook of the organization, paged by id (creation order).</summary>
    Task<Page<WebhookDelivery>> ListDeliveriesAsync(string organizationId, string webhookId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> pending deliveries due at <paramref name="now"/>, the longest due first.</summary>
    Task<IReadOnlyList<WebhookDelivery>> DueDeliveriesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims a due delivery for one attempt: moves its due time from <paramref name="dueAt"/> (as read) to
    /// <paramref name="leaseUntil"/>, only if it is still pending and due at <paramref name="dueAt"/>. Exactly one of
    /// several senders claiming the same read wins; if the claimer dies, the delivery is due again after the lease.
    /// </summary>
    Task<bool> TryClaimAsync(string deliveryId, DateTimeOffset dueAt, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends <paramref name="attempt"/> and sets the outcome: <paramref name="status"/> and the next due time (null
    /// unless pending). Only while the claim made with <paramref name="leaseUntil"/> still holds; false otherwise.
    /// </summary>
    Task<bool> RecordAttemptAsync(string deliveryId, DateTimeOffset leaseUntil, DeliveryAttempt attempt, DeliveryStatus status, DateTimeOffset? nextAttemptAt,
        CancellationToken cancellationToken = default);
}
