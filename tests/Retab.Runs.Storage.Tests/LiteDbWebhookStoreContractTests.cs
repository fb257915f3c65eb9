using Retab.Runs.Core.Stores;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Storage.Tests;

/// <summary>The webhook store contract on LiteDB: a real database file in a temp folder of its own.</summary>
public sealed class LiteDbWebhookStoreContractTests : WebhookStoreContract
{
    private readonly TempDatabaseFile _file = new();
    private LiteDbContext? _db;

    protected override Task<IWebhookStore> OpenAsync()
    {
        _db = new LiteDbContext(_file.Path);
        return Task.FromResult<IWebhookStore>(new LiteDbWebhookStore(_db));
    }

    protected override Task CloseAsync()
    {
        _db?.Dispose();
        _db = null;
        return Task.CompletedTask;
    }

    protected override Task DeleteStorageAsync() => _file.Delete();
}
