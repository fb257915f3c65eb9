using Retab.Runs.Core.Stores;
using Retab.Runs.Storage.Mongo.Tests.Infrastructure;
using Retab.Runs.Storage.Tests;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary>
/// The shared file store contract on MongoDB (metadata collection + GridFS), on a <see cref="TestDatabase"/>; skipped
/// with the reason when there is no server. Unlike the run contract it has no emulated twin: <see cref="MongoEmulator"/>
/// does not implement GridFS (its chunk collections, cursors and index checks), and emulating them would test the
/// emulator more than the store. <see cref="FileBsonRenderingTests"/> covers the store's filters and updates everywhere.
/// </summary>
public sealed class MongoFileStoreContractTests : FileStoreContract
{
    private readonly TestDatabase _database = new();

    protected override async Task<IFileStore> OpenAsync() => new MongoFileStore(await _database.OpenAsync());

    protected override Task CloseAsync()
    {
        _database.Close();
        return Task.CompletedTask;
    }

    protected override Task DeleteStorageAsync() => _database.DropAsync();
}
