using Retab.Runs.Core.Webhooks;

namespace Retab.Runs.Gateway.Responses;

/// <summary>A webhook as reads show it: never its secret.</summary>
public sealed record WebhookResponse(string Id, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt)
{
    public static WebhookResponse From(Webhook webhook) => new(webhook.Id, webhook.Url, webhook.Events, webhook.CreatedAt);
}

/// <summary>The answer to creating a webhook: the only time its signing secret is shown.</summary>
public sealed record CreatedWebhookResponse(string Id, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt, string Secret)
{
    public static CreatedWebhookResponse From(Webhook webhook) => new(webhook.Id, webhook.Url, webhook.Events, webhook.CreatedAt, webhook.Secret);
}

/// <summary>One delivery and its attempts; <c>id</c> is the <c>Webhook-Id</c> header the receiver saw on every attempt.</summary>
public sealed record WebhookDeliveryResponse(
    string Id,
    string WebhookId,
    string EventType,
    string RunId,
    DeliveryStatus Status,
    int? LastStatusCode,
    long? LastDurationMs,
    DateTimeOffset? NextAttemptAt,
    IReadOnlyList<WebhookAttemptResponse> Attempts,
    DateTimeOffset CreatedAt)
{
    public static WebhookDeliveryResponse From(WebhookDelivery delivery) => new(
        delivery.Id, delivery.WebhookId, delivery.EventType, delivery.RunId, delivery.Status,
        delivery.Attempts.Count > 0 ? delivery.Attempts[^1].StatusCode : null,
        delivery.Attempts.Count > 0 ? delivery.Attempts[^1].DurationMs : null,
        delivery.NextAttemptAt,
        delivery.Attempts.Select(a => new WebhookAttemptResponse(a.At, a.StatusCode, a.DurationMs, a.Error)).ToList(),
        delivery.CreatedAt);
}

public sealed record WebhookAttemptResponse(DateTimeOffset At, int? StatusCode, long DurationMs, string? Error);
