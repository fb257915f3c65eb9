using MongoDB.Driver;

namespace Retab.Runs.Storage.Mongo.Tests.Infrastructure;

/// <summary>
/// A database of one test's own on the server <see cref="MongoServer"/> found (skips the test, with the reason, when
/// there is none), opened and closed as the store contracts need, dropped at the end.
/// </summary>
public sealed class TestDatabase
{
    private string? _connectionString;
    private MongoContext? _context;

    public string Name { get; } = $"retab_runs_test_{Guid.NewGuid():N}";

    public string? ConnectionString => _connectionString;

    public async Task<MongoContext> OpenAsync()
    {
        var server = await MongoServer.GetAsync();
        if (server.Error is not null)
            throw new InvalidOperationException(server.Error);
        Skip.If(server.ConnectionString is null, server.SkipReason);
        _connectionString = server.ConnectionString!;
        // Idempotency records carry the tests' fixed 2025 clock: no TTL index, or MongoDB would expire them mid-test.
        _context = new MongoContext(new MongoOptions { ConnectionString = _connectionString, Database = Name, IdempotencyRetention = null });
        await _context.ReadyAsync();
        return _context;
    }

    public void Close()
    {
        _context?.Dispose();
        _context = null;
    }

    public async Task DropAsync()
    {
        if (_connectionString is null)
            return;
        using var client = new MongoClient(_connectionString);
        await client.DropDatabaseAsync(Name);
    }
}
