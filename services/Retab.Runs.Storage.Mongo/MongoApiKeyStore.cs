using MongoDB.Bson;
using MongoDB.Driver;
using Retab.Runs.Core.Organizations;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.Mongo;

public sealed class MongoApiKeyStore(MongoContext db) : IApiKeyStore
{
    public async Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var document = await db.ApiKeys.Find(MongoDefinitions.ById(keyHash)).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : MongoDocuments.ToApiKey(document);
    }

    public async Task InsertAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        await db.ApiKeys.ReplaceOneAsync(MongoDefinitions.ById(key.KeyHash), MongoDocuments.ToDocument(key),
            new ReplaceOptions { IsUpsert = true }, cancellationToken);
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        return await db.ApiKeys.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, new CountOptions { Limit = 1 }, cancellationToken) > 0;
    }
}
