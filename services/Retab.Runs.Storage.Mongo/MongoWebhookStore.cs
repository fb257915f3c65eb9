using MongoDB.Bson;
using MongoDB.Driver;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Webhooks;
using static Retab.Runs.Storage.Mongo.MongoWebhookDefinitions;

namespace Retab.Runs.Storage.Mongo;

/// <summary>Webhooks and their deliveries; claims and attempts are single conditional updates (<see cref="MongoWebhookDefinitions.PendingAt"/>).</summary>
public sealed class MongoWebhookStore(MongoContext db) : IWebhookStore
{
    private readonly IMongoCollection<BsonDocument> _webhooks = db.Database.GetCollection<BsonDocument>(MongoSchema.Webhooks);
    private readonly IMongoCollection<BsonDocument> _deliveries = db.Database.GetCollection<BsonDocument>(MongoSchema.WebhookDeliveries);

    public async Task InsertAsync(Webhook webhook, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        await _webhooks.InsertOneAsync(ToDocument(webhook), cancellationToken: cancellationToken);
    }

    public async Task<Webhook?> GetAsync(string organizationId, string webhookId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var document = await _webhooks.Find(MongoDefinitions.Owned(organizationId, webhookId)).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : ToWebhook(document);
    }

    public async Task<Page<Webhook>> ListAsync(string organizationId, PageRequest page, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        return await MongoPaging.ReadAsync(_webhooks, WebhooksOf(organizationId), page, ToWebhook, w => w.Id, cancellationToken);
    }

    public async Task<IReadOnlyList<Webhook>> SubscribersAsync(string organizationId, string eventType, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var documents = await _webhooks.Find(WebhooksOf(organizationId)).ToListAsync(cancellationToken);
        return documents.Select(ToWebhook).Where(w => w.Subscribes(eventType)).OrderBy(w => w.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<bool> DeleteAsync(string organizationId, string webhookId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var deleted = await _webhooks.DeleteOneAsync(MongoDefinitions.Owned(organizationId, webhookId), cancellationToken);
        if (deleted.DeletedCount == 0)
            return false;
        await _deliveries.DeleteManyAsync(DeliveriesOf(webhookId), cancellationToken);
        return true;
    }

    public async Task<bool> InsertDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        try
        {
            await _deliveries.InsertOneAsync(ToDocument(delivery), cancellationToken: cancellationToken);
            return true;
        }
        catch (MongoWriteException error) when (error.WriteError?.Category == ServerErrorCategory.DuplicateKey)
        {
            return false;
        }
    }

    public async Task<WebhookDelivery?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var document = await _deliveries.Find(MongoDefinitions.ById(deliveryId)).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : ToDelivery(document);
    }

    public async Task<Page<WebhookDelivery>> ListDeliveriesAsync(string organizationId, string webhookId, PageRequest page, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        return await MongoPaging.ReadAsync(_deliveries, DeliveriesOf(organizationId, webhookId), page, ToDelivery, d => d.Id, cancellationToken);
    }

    public async Task<IReadOnlyList<WebhookDelivery>> DueDeliveriesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var documents = await _deliveries.Find(Due(now)).Sort(ByDueTime).Limit(limit).ToListAsync(cancellationToken);
        return documents.Select(ToDelivery).ToList();
    }

    public async Task<bool> TryClaimAsync(string deliveryId, DateTimeOffset dueAt, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var claimed = await _deliveries.UpdateOneAsync(PendingAt(deliveryId, dueAt), Claim(leaseUntil), cancellationToken: cancellationToken);
        return claimed.MatchedCount == 1;
    }

    public async Task<bool> RecordAttemptAsync(string deliveryId, DateTimeOffset leaseUntil, DeliveryAttempt attempt, DeliveryStatus status, DateTimeOffset? nextAttemptAt,
        CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var recorded = await _deliveries.UpdateOneAsync(PendingAt(deliveryId, leaseUntil), RecordAttempt(attempt, status, nextAttemptAt), cancellationToken: cancellationToken);
        return recorded.MatchedCount == 1;
    }
}
