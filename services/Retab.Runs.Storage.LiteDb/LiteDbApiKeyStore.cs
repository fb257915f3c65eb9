using Retab.Runs.Core.Organizations;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.LiteDb;

public sealed class LiteDbApiKeyStore(LiteDbContext db) : IApiKeyStore
{
    public Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        var document = db.ApiKeys.FindById(keyHash);
        return Task.FromResult(document is null ? null : LiteDbContext.FromDocument<ApiKey>(document));
    }

    public Task InsertAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        db.ApiKeys.Upsert(LiteDbContext.ToDocument(StoredDocumentKind.ApiKey, key.KeyHash, key, ("org", key.OrganizationId)));
        return Task.CompletedTask;
    }

    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) => Task.FromResult(db.ApiKeys.Count() > 0);
}
