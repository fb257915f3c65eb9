using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.LiteDb;

public sealed class LiteDbIdempotencyStore(LiteDbContext db) : IIdempotencyStore
{
    public Task<IdempotencyRecord?> GetAsync(string organizationId, string key, CancellationToken cancellationToken = default)
    {
        var document = db.Idempotency.FindById(Id(organizationId, key));
        return Task.FromResult(document is null ? null : LiteDbContext.FromDocument<IdempotencyRecord>(document));
    }

    public Task<bool> TryInsertAsync(IdempotencyRecord record, CancellationToken cancellationToken = default) =>
        Task.FromResult(db.Write(() =>
        {
            var id = Id(record.OrganizationId, record.Key);
            var existing = db.Idempotency.FindById(id);
            // An expired record (older than 24 h) no longer binds the key.
            if (existing is not null && LiteDbContext.FromDocument<IdempotencyRecord>(existing).CreatedAt > record.CreatedAt.AddHours(-24))
                return false;
            db.Idempotency.Upsert(LiteDbContext.ToDocument(StoredDocumentKind.IdempotencyRecord, id, record));
            return true;
        }));

    private static string Id(string organizationId, string key) => $"{organizationId}|{key}";
}
