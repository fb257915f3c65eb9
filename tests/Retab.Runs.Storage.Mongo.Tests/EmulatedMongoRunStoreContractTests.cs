using Retab.Runs.Storage.Mongo.Tests.Infrastructure;
using Retab.Runs.Storage.Tests;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary>
/// The shared store contract on the MongoDB provider over <see cref="MongoEmulator"/>: runs everywhere, so the
/// provider's logic (guards, retries, counts, pagination, user JSON) is exercised on machines without a MongoDB server.
/// What only a real server can show is covered by <see cref="MongoRunStoreContractTests"/>, where one is available.
/// </summary>
public sealed class EmulatedMongoRunStoreContractTests : RunStoreContract
{
    private readonly MongoDB.Driver.IMongoDatabase _database = MongoEmulator.CreateDatabase();
    private MongoContext? _db;

    protected override async Task<StoreSet> OpenAsync()
    {
        _db = new MongoContext(_database, new MongoOptions { Database = "emulated", IdempotencyRetention = null });
        await _db.ReadyAsync();
        return new StoreSet(new MongoWorkflowStore(_db), new MongoTestStore(_db), new MongoRunStore(_db), new MongoIdempotencyStore(_db));
    }

    protected override Task CloseAsync()
    {
        _db?.Dispose();
        _db = null;
        return Task.CompletedTask;
    }

    protected override Task DeleteStorageAsync() => Task.CompletedTask;
}
