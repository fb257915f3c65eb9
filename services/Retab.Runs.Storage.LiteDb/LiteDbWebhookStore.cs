using LiteDB;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Webhooks;

namespace Retab.Runs.Storage.LiteDb;

/// <summary>
/// Webhooks by id with their organization in <c>org</c>; deliveries by id with <c>org</c>, <c>wh</c> (the webhook),
/// <c>key</c> (unique: one delivery per run, webhook and event) and <c>due</c> (UTC ms while pending, null after).
/// Claims and attempts are read-check-write inside one transaction (<see cref="LiteDbContext.Write{T}"/>).
/// </summary>
public sealed class LiteDbWebhookStore : IWebhookStore
{
    private const string OrgField = "org";
    private const string WebhookField = "wh";
    private const string KeyField = "key";
    private const string DueField = "due";

    private readonly LiteDbContext _db;
    private readonly ILiteCollection<BsonDocument> _webhooks;
    private readonly ILiteCollection<BsonDocument> _deliveries;

    public LiteDbWebhookStore(LiteDbContext db)
    {
        _db = db;
        _webhooks = db.Database.GetCollection("webhooks");
        _webhooks.EnsureIndex(OrgField, $"$.{OrgField}");
        _deliveries = db.Database.GetCollection("webhook_deliveries");
        _deliveries.EnsureIndex(WebhookField, $"$.{WebhookField}");
        _deliveries.EnsureIndex(DueField, $"$.{DueField}");
        _deliveries.EnsureIndex(KeyField, $"$.{KeyField}", unique: true);
    }

    public Task InsertAsync(Webhook webhook, CancellationToken cancellationToken = default) =>
        Task.FromResult(_db.Write(() => _webhooks.Insert(ToDocument(webhook))));

    public Task<Webhook?> GetAsync(string organizationId, string webhookId, CancellationToken cancellationToken = default)
    {
        var document = _webhooks.FindById(webhookId);
        return Task.FromResult(document is not null && document[OrgField].AsString == organizationId ? LiteDbContext.FromDocument<Webhook>(document) : null);
    }

    public Task<Page<Webhook>> ListAsync(string organizationId, PageRequest page, CancellationToken cancellationToken = default) =>
        Task.FromResult(Paging.Read(_webhooks, [Filter.Eq(OrgField, organizationId)], page, LiteDbContext.FromDocument<Webhook>, w => w.Id));

    public Task<IReadOnlyList<Webhook>> SubscribersAsync(string organizationId, string eventType, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Webhook>>(_webhooks.Find(Filter.Eq(OrgField, organizationId))
            .Select(LiteDbContext.FromDocument<Webhook>).Where(w => w.Subscribes(eventType)).OrderBy(w => w.Id, StringComparer.Ordinal).ToList());

    public Task<bool> DeleteAsync(string organizationId, string webhookId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_db.Write(() =>
        {
            var document = _webhooks.FindById(webhookId);
            if (document is null || document[OrgField].AsString != organizationId)
                return false;
            _deliveries.DeleteMany(Filter.Eq(WebhookField, webhookId));
            return _webhooks.Delete(webhookId);
        }));

    public Task<bool> InsertDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        try
        {
            return Task.FromResult(_db.Write(() =>
            {
                if (_deliveries.Exists(Filter.Eq(KeyField, delivery.Key)))
                    return false;
                _deliveries.Insert(ToDocument(delivery));
                return true;
            }));
        }
        catch (LiteException error) when (error.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            // Another process (shared mode) stored the same delivery between the check and the insert.
            return Task.FromResult(false);
        }
    }

    public Task<WebhookDelivery?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_deliveries.FindById(deliveryId) is { } document ? LiteDbContext.FromDocument<WebhookDelivery>(document) : null);

    public Task<Page<WebhookDelivery>> ListDeliveriesAsync(string organizationId, string webhookId, PageRequest page, CancellationToken cancellationToken = default) =>
        Task.FromResult(Paging.Read(_deliveries, [Filter.Eq(WebhookField, webhookId), Filter.Eq(OrgField, organizationId)], page,
            LiteDbContext.FromDocument<WebhookDelivery>, d => d.Id));

    public Task<IReadOnlyList<WebhookDelivery>> DueDeliveriesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        // Settled deliveries have a null due time, which LiteDB orders before every number: the range leaves them out.
        Task.FromResult<IReadOnlyList<WebhookDelivery>>(_deliveries.Query()
            .Where(Filter.Between(DueField, long.MinValue, LiteDbContext.Time(now)))
            .OrderBy(DueField).Limit(limit).ToEnumerable()
            .Select(LiteDbContext.FromDocument<WebhookDelivery>).ToList());

    public Task<bool> TryClaimAsync(string deliveryId, DateTimeOffset dueAt, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        Task.FromResult(_db.Write(() =>
        {
            var delivery = FindPending(deliveryId, dueAt);
            return delivery is not null && _deliveries.Update(ToDocument(delivery with { NextAttemptAt = leaseUntil }));
        }));

    public Task<bool> RecordAttemptAsync(string deliveryId, DateTimeOffset leaseUntil, DeliveryAttempt attempt, DeliveryStatus status, DateTimeOffset? nextAttemptAt,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(_db.Write(() =>
        {
            var delivery = FindPending(deliveryId, leaseUntil);
            return delivery is not null && _deliveries.Update(ToDocument(delivery with
            {
                Attempts = [.. delivery.Attempts, attempt],
                Status = status,
                NextAttemptAt = status == DeliveryStatus.Pending ? nextAttemptAt : null,
            }));
        }));

    /// <summary>The delivery if it is pending and due exactly at <paramref name="dueAt"/> (the version a claim checks).</summary>
    private WebhookDelivery? FindPending(string deliveryId, DateTimeOffset dueAt)
    {
        var document = _deliveries.FindById(deliveryId);
        if (document is null)
            return null;
        var delivery = LiteDbContext.FromDocument<WebhookDelivery>(document);
        return delivery.Status == DeliveryStatus.Pending && delivery.NextAttemptAt == dueAt ? delivery : null;
    }

    private static BsonDocument ToDocument(Webhook webhook) =>
        LiteDbContext.ToDocument(StoredDocumentKind.Webhook, webhook.Id, webhook, (OrgField, webhook.OrganizationId));

    private static BsonDocument ToDocument(WebhookDelivery delivery) =>
        LiteDbContext.ToDocument(StoredDocumentKind.WebhookDelivery, delivery.Id, delivery,
            (OrgField, delivery.OrganizationId), (WebhookField, delivery.WebhookId), (KeyField, delivery.Key),
            (DueField, delivery.Status == DeliveryStatus.Pending && delivery.NextAttemptAt is { } due ? LiteDbContext.Time(due) : BsonValue.Null));
}
