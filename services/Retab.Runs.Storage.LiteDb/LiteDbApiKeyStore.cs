using LiteDB;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Organizations;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.LiteDb;

/// <summary>Keys by id (<c>_id</c>), with the secret's hash in <c>hash</c> under a unique index.</summary>
public sealed class LiteDbApiKeyStore : IApiKeyStore
{
    private const string HashField = "hash";

    private readonly LiteDbContext _db;

    public LiteDbApiKeyStore(LiteDbContext db)
    {
        _db = db;
        // Keys stored before key ids existed have their hash as _id and no hash field. Given one, the unique index
        // covers them too (LiteDB indexes a missing field as null, and two nulls would collide); they read as
        // ApiKeyOrigin.Legacy until the seeder gives them an id and an origin.
        _db.Write(() =>
        {
            foreach (var legacy in _db.ApiKeys.Find(BsonExpression.Create($"$.{HashField} = null")).ToList())
            {
                legacy[HashField] = legacy["_id"];
                _db.ApiKeys.Update(legacy);
            }
            return true;
        });
        _db.ApiKeys.EnsureIndex(HashField, $"$.{HashField}", unique: true);
    }

    public Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        var document = _db.ApiKeys.FindOne(Filter.Eq(HashField, keyHash));
        return Task.FromResult(document is null ? null : ToKey(document));
    }

    public Task<bool> InsertAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        try
        {
            return Task.FromResult(_db.Write(() =>
            {
                if (_db.ApiKeys.Exists(Filter.Eq(HashField, key.KeyHash)))
                    return false;
                _db.ApiKeys.Insert(ToDocument(key));
                return true;
            }));
        }
        catch (LiteException error) when (error.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            // Another process (shared mode) stored the same key between the check and the insert.
            return Task.FromResult(false);
        }
    }

    public Task<bool> UpdateAsync(ApiKey key, CancellationToken cancellationToken = default) =>
        Task.FromResult(_db.Write(() => _db.ApiKeys.Update(ToDocument(key))));

    public Task<bool> DeleteAsync(string keyId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_db.Write(() => _db.ApiKeys.Delete(keyId)));

    public Task<Page<ApiKey>> ListAsync(string? organizationId, PageRequest page, CancellationToken cancellationToken = default) =>
        Task.FromResult(Paging.Read(_db.ApiKeys, organizationId is null ? [] : [Filter.Eq("org", organizationId)], page, ToKey, k => k.Id));

    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) => Task.FromResult(_db.ApiKeys.Count() > 0);

    private static BsonDocument ToDocument(ApiKey key) =>
        LiteDbContext.ToDocument(StoredDocumentKind.ApiKey, key.Id, key, ("org", key.OrganizationId), (HashField, key.KeyHash));

    // The _id is authoritative: a legacy body has no id.
    private static ApiKey ToKey(BsonDocument document) => LiteDbContext.FromDocument<ApiKey>(document) with { Id = document["_id"].AsString };
}
