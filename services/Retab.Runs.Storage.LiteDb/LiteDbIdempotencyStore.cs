using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.LiteDb;

/// <summary>
/// Records under <c>organization|key</c>, with their creation time in <c>at</c> (indexed) so expired ones can be
/// deleted: a record binds its key for <see cref="Retention"/>, and inserts purge the expired ones every
/// <see cref="PurgeInterval"/>, so the file holds about a day of records rather than every key ever sent.
/// </summary>
public sealed class LiteDbIdempotencyStore(LiteDbContext db) : IIdempotencyStore
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    public static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(10);

    private const string CreatedAtField = "at";

    private DateTimeOffset? _lastPurge;

    public Task<IdempotencyRecord?> GetAsync(string organizationId, string key, CancellationToken cancellationToken = default)
    {
        var document = db.Idempotency.FindById(Id(organizationId, key));
        return Task.FromResult(document is null ? null : LiteDbContext.FromDocument<IdempotencyRecord>(document));
    }

    public Task<bool> TryInsertAsync(IdempotencyRecord record, CancellationToken cancellationToken = default) =>
        Task.FromResult(db.Write(() =>
        {
            PurgeExpiredIfDue(record.CreatedAt);
            var id = Id(record.OrganizationId, record.Key);
            var existing = db.Idempotency.FindById(id);
            // An expired record (older than 24 h) no longer binds the key.
            if (existing is not null && LiteDbContext.FromDocument<IdempotencyRecord>(existing).CreatedAt > record.CreatedAt - Retention)
                return false;
            db.Idempotency.Upsert(LiteDbContext.ToDocument(StoredDocumentKind.IdempotencyRecord, id, record, (CreatedAtField, LiteDbContext.Time(record.CreatedAt))));
            return true;
        }));

    public Task CompleteAsync(IdempotencyRecord record, CancellationToken cancellationToken = default)
    {
        db.Write(() =>
        {
            var id = Id(record.OrganizationId, record.Key);
            if (db.Idempotency.FindById(id) is { } claim && LiteDbContext.FromDocument<IdempotencyRecord>(claim).InProgress)
                db.Idempotency.Update(LiteDbContext.ToDocument(StoredDocumentKind.IdempotencyRecord, id, record, (CreatedAtField, LiteDbContext.Time(record.CreatedAt))));
            return true;
        });
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string organizationId, string key, CancellationToken cancellationToken = default)
    {
        db.Write(() =>
        {
            var id = Id(organizationId, key);
            return db.Idempotency.FindById(id) is { } claim && LiteDbContext.FromDocument<IdempotencyRecord>(claim).InProgress
                && db.Idempotency.Delete(id);
        });
        return Task.CompletedTask;
    }

    /// <summary>Deletes the records that no longer bind their key; runs inside the caller's write.</summary>
    private void PurgeExpiredIfDue(DateTimeOffset now)
    {
        if (_lastPurge is { } last && now - last < PurgeInterval)
            return;
        _lastPurge = now;
        // A range of numbers, not "at < cutoff": LiteDB orders null before every number, and an undated record may be recent.
        db.Idempotency.DeleteMany(Filter.Between(CreatedAtField, long.MinValue, LiteDbContext.Time(now - Retention)));
        // Records written before "at" existed: their time is in the body only. Dated once, they purge as above.
        foreach (var undated in db.Idempotency.Find(Filter.Eq(CreatedAtField, LiteDB.BsonValue.Null)).ToList())
        {
            var createdAt = LiteDbContext.FromDocument<IdempotencyRecord>(undated).CreatedAt;
            if (createdAt <= now - Retention)
            {
                db.Idempotency.Delete(undated["_id"]);
                continue;
            }
            undated[CreatedAtField] = LiteDbContext.Time(createdAt);
            db.Idempotency.Update(undated);
        }
    }

    private static string Id(string organizationId, string key) => $"{organizationId}|{key}";
}
