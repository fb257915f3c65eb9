using LiteDB;
using Retab.Runs.Core.Stores;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Storage.Tests;

/// <summary>The API key store contract on LiteDB: a real database file in a temp folder of its own.</summary>
public sealed class LiteDbApiKeyStoreContractTests : ApiKeyStoreContract
{
    private readonly TempDatabaseFile _file = new();
    private LiteDbContext? _db;

    protected override Task<IApiKeyStore> OpenAsync()
    {
        _db = new LiteDbContext(_file.Path);
        return Task.FromResult<IApiKeyStore>(new LiteDbApiKeyStore(_db));
    }

    protected override Task CloseAsync()
    {
        _db?.Dispose();
        _db = null;
        return Task.CompletedTask;
    }

    protected override Task DeleteStorageAsync() => _file.Delete();

    protected override Task WriteLegacyKeyAsync(string keyHash, string organizationId, string prefix, DateTimeOffset createdAt)
    {
        using var db = new LiteDbContext(_file.Path);
        // Files of those versions had no index on the hash field.
        db.ApiKeys.DropIndex("hash");
        db.ApiKeys.Insert(new BsonDocument
        {
            ["_id"] = keyHash,
            ["org"] = organizationId,
            ["body"] = $$"""{"KeyHash":"{{keyHash}}","OrganizationId":"{{organizationId}}","Prefix":"{{prefix}}","CreatedAt":"{{createdAt:O}}"}""",
        });
        return Task.CompletedTask;
    }
}
