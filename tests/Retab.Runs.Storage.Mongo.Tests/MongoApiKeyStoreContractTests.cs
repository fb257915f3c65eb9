using MongoDB.Bson;
using MongoDB.Driver;
using Retab.Runs.Core.Stores;
using Retab.Runs.Storage.Mongo.Tests.Infrastructure;
using Retab.Runs.Storage.Tests;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary>The API key store contract on MongoDB, on a <see cref="TestDatabase"/>; skipped with the reason when there is no server.</summary>
public sealed class MongoApiKeyStoreContractTests : ApiKeyStoreContract
{
    private readonly TestDatabase _database = new();

    protected override async Task<IApiKeyStore> OpenAsync() => new MongoApiKeyStore(await _database.OpenAsync());

    protected override Task CloseAsync()
    {
        _database.Close();
        return Task.CompletedTask;
    }

    protected override Task DeleteStorageAsync() => _database.DropAsync();

    protected override async Task WriteLegacyKeyAsync(string keyHash, string organizationId, string prefix, DateTimeOffset createdAt)
    {
        using var client = new MongoClient(_database.ConnectionString);
        await client.GetDatabase(_database.Name).GetCollection<BsonDocument>(MongoSchema.ApiKeys)
            .InsertOneAsync(LegacyApiKey.Document(keyHash, organizationId, prefix, createdAt));
    }
}

/// <summary>The same contract over <see cref="MongoEmulator"/>, so the provider's key logic runs on machines without a server.</summary>
public sealed class EmulatedMongoApiKeyStoreContractTests : ApiKeyStoreContract
{
    private readonly IMongoDatabase _database = MongoEmulator.CreateDatabase();
    private MongoContext? _db;

    protected override async Task<IApiKeyStore> OpenAsync()
    {
        _db = new MongoContext(_database, new MongoOptions { Database = "emulated", IdempotencyRetention = null });
        await _db.ReadyAsync();
        return new MongoApiKeyStore(_db);
    }

    protected override Task CloseAsync()
    {
        _db?.Dispose();
        _db = null;
        return Task.CompletedTask;
    }

    protected override Task DeleteStorageAsync() => Task.CompletedTask;

    protected override Task WriteLegacyKeyAsync(string keyHash, string organizationId, string prefix, DateTimeOffset createdAt) =>
        _database.GetCollection<BsonDocument>(MongoSchema.ApiKeys).InsertOneAsync(LegacyApiKey.Document(keyHash, organizationId, prefix, createdAt));
}

/// <summary>An API key document as versions before key ids wrote it: the hash as <c>_id</c>, a body with no id, name or origin.</summary>
internal static class LegacyApiKey
{
    public static BsonDocument Document(string keyHash, string organizationId, string prefix, DateTimeOffset createdAt) => new()
    {
        { MongoSchema.Fields.Id, keyHash },
        { MongoSchema.Fields.OrganizationId, organizationId },
        { MongoSchema.Fields.Body, $$"""{"KeyHash":"{{keyHash}}","OrganizationId":"{{organizationId}}","Prefix":"{{prefix}}","CreatedAt":"{{createdAt:O}}"}""" },
    };
}
