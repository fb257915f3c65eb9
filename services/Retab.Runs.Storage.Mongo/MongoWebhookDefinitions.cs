using MongoDB.Bson;
using MongoDB.Driver;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Webhooks;
using static Retab.Runs.Storage.Mongo.MongoDocuments;
using static Retab.Runs.Storage.Mongo.MongoSchema;

namespace Retab.Runs.Storage.Mongo;

/// <summary>
/// The filters and updates of the webhook store, and its documents. A delivery's status, due time and attempts are
/// fixed-name fields that its conditional updates change; reading overlays them on the body. Built here so unit tests
/// render them without a server.
/// </summary>
public static class MongoWebhookDefinitions
{
    private static FilterDefinitionBuilder<BsonDocument> Filter => Builders<BsonDocument>.Filter;
    private static UpdateDefinitionBuilder<BsonDocument> Update => Builders<BsonDocument>.Update;

    public static string Name(DeliveryStatus status) => status.ToString().ToLowerInvariant();

    public static FilterDefinition<BsonDocument> WebhooksOf(string organizationId) => Filter.Eq(Fields.OrganizationId, organizationId);

    public static FilterDefinition<BsonDocument> DeliveriesOf(string organizationId, string webhookId) =>
        Filter.And(Filter.Eq(Fields.OrganizationId, organizationId), Filter.Eq(Fields.WebhookId, webhookId));

    public static FilterDefinition<BsonDocument> DeliveriesOf(string webhookId) => Filter.Eq(Fields.WebhookId, webhookId);

    public static FilterDefinition<BsonDocument> DeliveryByKey(string key) => Filter.Eq(Fields.DeliveryKey, key);

    /// <summary>Pending deliveries due at <paramref name="now"/> (read longest due first, <see cref="ByDueTime"/>).</summary>
    public static FilterDefinition<BsonDocument> Due(DateTimeOffset now) =>
        Filter.And(Filter.Eq(Fields.Status, Name(DeliveryStatus.Pending)), Filter.Lte(Fields.NextAttemptAt, Time(now)));

    public static SortDefinition<BsonDocument> ByDueTime => Builders<BsonDocument>.Sort.Ascending(Fields.NextAttemptAt);

    /// <summary>The delivery while it is pending and due at exactly <paramref name="dueAt"/>: the guard of a claim and of recording its attempt.</summary>
    public static FilterDefinition<BsonDocument> PendingAt(string deliveryId, DateTimeOffset dueAt) =>
        Filter.And(Filter.Eq(Fields.Id, deliveryId), Filter.Eq(Fields.Status, Name(DeliveryStatus.Pending)), Filter.Eq(Fields.NextAttemptAt, Time(dueAt)));

    public static UpdateDefinition<BsonDocument> Claim(DateTimeOffset leaseUntil) => Update.Set(Fields.NextAttemptAt, Time(leaseUntil));

    public static UpdateDefinition<BsonDocument> RecordAttempt(DeliveryAttempt attempt, DeliveryStatus status, DateTimeOffset? nextAttemptAt) => Update
        .Push(Fields.Attempts, ToDocument(attempt))
        .Set(Fields.Status, Name(status))
        .Set(Fields.NextAttemptAt, status == DeliveryStatus.Pending ? Time(nextAttemptAt) : BsonNull.Value);

    public static BsonDocument ToDocument(Webhook webhook) => Bounded(StoredDocumentKind.Webhook, webhook.Id, new()
    {
        { Fields.Id, webhook.Id },
        { Fields.OrganizationId, webhook.OrganizationId },
        { Fields.Body, BodyText(webhook) },
    });

    public static Webhook ToWebhook(BsonDocument document) =>
        System.Text.Json.JsonSerializer.Deserialize<Webhook>(document[Fields.Body].AsString, BodyJson)
        ?? throw new InvalidDataException($"Document {document[Fields.Id]} has an empty body.");

    /// <summary>A new delivery, with room for the attempts of a day of retries (each a few hundred bytes at most).</summary>
    public static BsonDocument ToDocument(WebhookDelivery delivery) => Bounded(StoredDocumentKind.WebhookDelivery, delivery.Id, new()
    {
        { Fields.Id, delivery.Id },
        { Fields.OrganizationId, delivery.OrganizationId },
        { Fields.WebhookId, delivery.WebhookId },
        { Fields.DeliveryKey, delivery.Key },
        { Fields.Status, Name(delivery.Status) },
        { Fields.NextAttemptAt, Time(delivery.Status == DeliveryStatus.Pending ? delivery.NextAttemptAt : null) },
        { Fields.Attempts, new BsonArray(delivery.Attempts.Select(ToDocument)) },
        { Fields.Body, BodyText(delivery with { Attempts = [] }) },
    }, reservedBytes: 64 * 1024);

    public static WebhookDelivery ToDelivery(BsonDocument document) =>
        (System.Text.Json.JsonSerializer.Deserialize<WebhookDelivery>(document[Fields.Body].AsString, BodyJson)
            ?? throw new InvalidDataException($"Document {document[Fields.Id]} has an empty body.")) with
        {
            Status = Enum.Parse<DeliveryStatus>(document[Fields.Status].AsString, ignoreCase: true),
            NextAttemptAt = ReadOptionalTime(document, Fields.NextAttemptAt),
            Attempts = document[Fields.Attempts].AsBsonArray.Select(a => ToAttempt(a.AsBsonDocument)).ToList(),
        };

    private static BsonDocument ToDocument(DeliveryAttempt attempt) => new()
    {
        { "at", Time(attempt.At) },
        { "status_code", attempt.StatusCode is { } code ? code : BsonNull.Value },
        { "duration_ms", attempt.DurationMs },
        { "error", Text(attempt.Error) },
    };

    private static DeliveryAttempt ToAttempt(BsonDocument attempt) => new(
        ReadTime(attempt["at"]),
        attempt["status_code"].IsBsonNull ? null : attempt["status_code"].ToInt32(),
        attempt["duration_ms"].ToInt64(),
        ReadText(attempt, "error"));
}
