using MongoDB.Driver;
using Retab.Runs.Core.Stores;
using Retab.Runs.Storage.Mongo.Tests.Infrastructure;
using Retab.Runs.Storage.Tests;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary>The webhook store contract on MongoDB, on a <see cref="TestDatabase"/>; skipped with the reason when there is no server.</summary>
public sealed class MongoWebhookStoreContractTests : WebhookStoreContract
{
    private readonly TestDatabase _database = new();

    protected override async Task<IWebhookStore> OpenAsync() => new MongoWebhookStore(await _database.OpenAsync());

    protected override Task CloseAsync()
    {
        _database.Close();
        return Task.CompletedTask;
    }

    protected override Task DeleteStorageAsync() => _database.DropAsync();
}

/// <summary>The same contract over <see cref="MongoEmulator"/>, so the provider's claim logic runs on machines without a server.</summary>
public sealed class EmulatedMongoWebhookStoreContractTests : WebhookStoreContract
{
    private readonly IMongoDatabase _database = MongoEmulator.CreateDatabase();
    private MongoContext? _db;

    protected override async Task<IWebhookStore> OpenAsync()
    {
        _db = new MongoContext(_database, new MongoOptions { Database = "emulated", IdempotencyRetention = null });
        await _db.ReadyAsync();
        return new MongoWebhookStore(_db);
    }

    protected override Task CloseAsync()
    {
        _db?.Dispose();
        _db = null;
        return Task.CompletedTask;
    }

    protected override Task DeleteStorageAsync() => Task.CompletedTask;
}
