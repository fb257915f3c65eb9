using LiteDB;
using Retab.Runs.Core.Stores;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Storage.Tests;

/// <summary>
/// Idempotency records bind their key for 24 h and are then deleted from the LiteDB file, so it holds about a day of
/// records rather than every key ever sent (the MongoDB provider leaves this to a TTL index).
/// </summary>
public sealed class LiteDbIdempotencyPurgeTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDatabaseFile _file = new();
    private readonly LiteDbContext _db;
    private readonly LiteDbIdempotencyStore _store;

    public LiteDbIdempotencyPurgeTests()
    {
        _db = new LiteDbContext(_file.Path);
        _store = new LiteDbIdempotencyStore(_db);
    }

    private static IdempotencyRecord Record(string key, DateTimeOffset at) => new("org_a", key, "sha256:x", 201, "/v1/x", "{}", at);

    [Fact]
    public async Task Records_older_than_24_hours_are_deleted_by_a_later_insert_and_younger_ones_kept()
    {
        await _store.TryInsertAsync(Record("old", T0));
        await _store.TryInsertAsync(Record("recent", T0.AddHours(20)));

        await _store.TryInsertAsync(Record("now", T0.AddHours(24)));

        Assert.Null(await _store.GetAsync("org_a", "old"));
        Assert.NotNull(await _store.GetAsync("org_a", "recent"));
        Assert.Equal(2, _db.Idempotency.Count());
    }

    [Fact]
    public async Task Records_written_before_their_time_was_a_field_are_dated_or_deleted()
    {
        foreach (var (key, at) in new[] { ("undated-old", T0), ("undated-recent", T0.AddHours(23)) })
            _db.Idempotency.Insert(LiteDbContext.ToDocument(StoredDocumentKind.IdempotencyRecord, $"org_a|{key}", Record(key, at)));

        await _store.TryInsertAsync(Record("now", T0.AddHours(24).AddSeconds(1)));

        Assert.Null(await _store.GetAsync("org_a", "undated-old"));
        var dated = _db.Idempotency.FindById("org_a|undated-recent");
        Assert.Equal(T0.AddHours(23).ToUnixTimeMilliseconds(), dated["at"].AsInt64);
        Assert.Equal(2, _db.Idempotency.Count());
    }

    [Fact]
    public async Task An_expired_key_can_be_used_again_after_the_purge()
    {
        Assert.True(await _store.TryInsertAsync(Record("k", T0)));

        Assert.True(await _store.TryInsertAsync(Record("k", T0.AddHours(25))));

        Assert.Equal(T0.AddHours(25), (await _store.GetAsync("org_a", "k"))!.CreatedAt);
    }

    public void Dispose()
    {
        _db.Dispose();
        _file.Delete();
    }
}
