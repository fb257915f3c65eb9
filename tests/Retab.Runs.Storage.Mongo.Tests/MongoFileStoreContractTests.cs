using MongoDB.Driver;
using Retab.Runs.Core.Stores;
using Retab.Runs.Storage.Mongo.Tests.Infrastructure;
using Retab.Runs.Storage.Tests;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary>
/// The shared file store contract on MongoDB (metadata collection + GridFS), on a database of its own on the server
/// found by <see cref="MongoServer"/>; skipped with the reason when there is none. Unlike the run contract it has no
/// emulated twin: <see cref="MongoEmulator"/> does not implement GridFS (its bucket commands, chunk collections and
/// cursors), and emulating them would test the emulator more than the store. <see cref="FileBsonRenderingTests"/>
/// covers the store's filters and updates everywhere.
/// </summary>
public sealed class MongoFileStoreContractTests : FileStoreContract
{
    private readonly string _database = $"retab_runs_test_{Guid.NewGuid():N}";
    private string? _connectionString;
    private MongoContext? _db;

    protected override async Task<IFileStore> OpenAsync()
    {
        var server = await MongoServer.GetAsync();
        if (server.Error is not null)
            throw new InvalidOperationException(server.Error);
        Skip.If(server.ConnectionString is null, server.SkipReason);
        _connectionString = server.ConnectionString!;
        _db = new MongoContext(new MongoOptions { ConnectionString = _connectionString, Database = _database, IdempotencyRetention = null });
        await _db.ReadyAsync();
        return new MongoFileStore(_db);
    }

    protected override Task CloseAsync()
    {
        _db?.Dispose();
        _db = null;
        return Task.CompletedTask;
    }

    protected override async Task DeleteStorageAsync()
    {
        if (_connectionString is null)
            return;
        using var client = new MongoClient(_connectionString);
        await client.DropDatabaseAsync(_database);
    }
}
