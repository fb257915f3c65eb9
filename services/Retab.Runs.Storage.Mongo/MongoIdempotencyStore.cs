using MongoDB.Driver;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.Mongo;

public sealed class MongoIdempotencyStore(MongoContext db) : IIdempotencyStore
{
    public async Task<IdempotencyRecord?> GetAsync(string organizationId, string key, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var document = await db.Idempotency.Find(MongoDefinitions.ById(MongoDocuments.IdempotencyId(organizationId, key))).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : MongoDocuments.ToIdempotencyRecord(document);
    }

    public async Task<bool> TryInsertAsync(IdempotencyRecord record, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var document = MongoDocuments.ToDocument(record, db.Options.IdempotencyRetention);
        try
        {
            await db.Idempotency.InsertOneAsync(document, cancellationToken: cancellationToken);
            return true;
        }
        catch (MongoWriteException error) when (error.WriteError?.Category == ServerErrorCategory.DuplicateKey)
        {
            // The key is taken. An expired record (older than 24 h) no longer binds it: replace that one only, so of
            // several concurrent requests exactly one wins.
            var replaced = await db.Idempotency.ReplaceOneAsync(
                MongoDefinitions.ExpiredIdempotencyRecord(record.OrganizationId, record.Key, record.CreatedAt), document, cancellationToken: cancellationToken);
            return replaced.MatchedCount == 1;
        }
    }

    public async Task CompleteAsync(IdempotencyRecord record, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        await db.Idempotency.ReplaceOneAsync(MongoDefinitions.IdempotencyClaim(record.OrganizationId, record.Key),
            MongoDocuments.ToDocument(record, db.Options.IdempotencyRetention), cancellationToken: cancellationToken);
    }

    public async Task ReleaseAsync(string organizationId, string key, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        await db.Idempotency.DeleteOneAsync(MongoDefinitions.IdempotencyClaim(organizationId, key), cancellationToken);
    }
}
