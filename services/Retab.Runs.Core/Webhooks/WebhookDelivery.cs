namespace Retab.Runs.Core.Webhooks;

public enum DeliveryStatus { Pending, Delivered, Failed }

/// <summary>One try to send a delivery: the receiver's status code (null when none came back), how long it took, and why it failed.</summary>
public sealed record DeliveryAttempt(DateTimeOffset At, int? StatusCode, long DurationMs, string? Error);

/// <summary>
/// One event for one webhook: the same <see cref="Id"/> (the <c>Webhook-Id</c>) and <see cref="Payload"/> on every
/// attempt, so receivers can dedupe retries. <see cref="Key"/> makes it unique per run, webhook and event type, since
/// <c>TestRunCompleted</c> is delivered at least once. While pending, <see cref="NextAttemptAt"/> is when it is due;
/// a sender claims it by moving that time forward (a lease), so two senders never send the same attempt.
/// </summary>
public sealed record WebhookDelivery(
    string Id,
    string WebhookId,
    string OrganizationId,
    string EventType,
    string RunId,
    string Payload,
    IReadOnlyList<DeliveryAttempt> Attempts,
    DeliveryStatus Status,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt)
{
    public string Key => KeyOf(RunId, WebhookId, EventType);

    public static string KeyOf(string runId, string webhookId, string eventType) => $"{runId}|{webhookId}|{eventType}";
}
