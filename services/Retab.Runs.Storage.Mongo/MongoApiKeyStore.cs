using MongoDB.Bson;
using MongoDB.Driver;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Organizations;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.Mongo;

/// <summary>Keys by id (<c>_id</c>), with the secret's hash in <c>key_hash</c> under a unique index.</summary>
public sealed class MongoApiKeyStore(MongoContext db) : IApiKeyStore
{
    public async Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var document = await db.ApiKeys.Find(MongoDefinitions.ApiKeyByHash(keyHash)).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : MongoDocuments.ToApiKey(document);
    }

    public async Task<bool> InsertAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        // A key stored before key ids existed has no key_hash for the unique index to see: its hash is its _id.
        if (await db.ApiKeys.Find(MongoDefinitions.ById(key.KeyHash)).AnyAsync(cancellationToken))
            return false;
        try
        {
            await db.ApiKeys.InsertOneAsync(MongoDocuments.ToDocument(key), cancellationToken: cancellationToken);
            return true;
        }
        catch (MongoWriteException error) when (error.WriteError?.Category == ServerErrorCategory.DuplicateKey)
        {
            return false;
        }
    }

    public async Task<bool> UpdateAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var replaced = await db.ApiKeys.ReplaceOneAsync(MongoDefinitions.ById(key.Id), MongoDocuments.ToDocument(key), cancellationToken: cancellationToken);
        return replaced.MatchedCount == 1;
    }

    public async Task<bool> DeleteAsync(string keyId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var deleted = await db.ApiKeys.DeleteOneAsync(MongoDefinitions.ById(keyId), cancellationToken);
        return deleted.DeletedCount == 1;
    }

    public async Task<Page<ApiKey>> ListAsync(string? organizationId, PageRequest page, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        return await MongoPaging.ReadAsync(db.ApiKeys, MongoDefinitions.ApiKeysOf(organizationId), page, MongoDocuments.ToApiKey, k => k.Id, cancellationToken);
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        return await db.ApiKeys.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, new CountOptions { Limit = 1 }, cancellationToken) > 0;
    }
}
