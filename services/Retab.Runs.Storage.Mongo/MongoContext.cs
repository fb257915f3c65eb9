using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.GridFS;

namespace Retab.Runs.Storage.Mongo;

/// <summary>
/// One client, the database and its collections. Indexes are created on first use (and again after a failure,
/// so a store that starts before MongoDB answers recovers by itself).
/// </summary>
public sealed class MongoContext : IDisposable
{
    private readonly Lock _gate = new();
    private readonly MongoClient? _client;
    private readonly Lazy<IGridFSBucket> _fileContent;
    private Task? _ready;

    public MongoContext(MongoOptions options)
        : this(CreateClient(options, out var client).GetDatabase(options.Database), options) =>
        _client = client;

    /// <summary>On a database the caller owns (and disposes).</summary>
    public MongoContext(IMongoDatabase database, MongoOptions options)
    {
        options.Validate();
        Options = options;
        Database = database;
        Workflows = Database.GetCollection<BsonDocument>(MongoSchema.Workflows);
        Tests = Database.GetCollection<BsonDocument>(MongoSchema.Tests);
        Runs = Database.GetCollection<BsonDocument>(MongoSchema.Runs);
        Results = Database.GetCollection<BsonDocument>(MongoSchema.Results);
        ApiKeys = Database.GetCollection<BsonDocument>(MongoSchema.ApiKeys);
        Idempotency = Database.GetCollection<BsonDocument>(MongoSchema.Idempotency);
        Files = Database.GetCollection<BsonDocument>(MongoSchema.Files);
        _fileContent = new Lazy<IGridFSBucket>(() => new GridFSBucket(Database, new GridFSBucketOptions { BucketName = MongoSchema.FileContentBucket }));
    }

    public MongoOptions Options { get; }
    public IMongoDatabase Database { get; }
    public IMongoCollection<BsonDocument> Workflows { get; }
    public IMongoCollection<BsonDocument> Tests { get; }
    public IMongoCollection<BsonDocument> Runs { get; }
    public IMongoCollection<BsonDocument> Results { get; }
    public IMongoCollection<BsonDocument> ApiKeys { get; }
    public IMongoCollection<BsonDocument> Idempotency { get; }
    public IMongoCollection<BsonDocument> Files { get; }

    /// <summary>File bytes and page texts; created lazily, so contexts on the emulator (which has no GridFS) never touch it.</summary>
    public IGridFSBucket FileContent => _fileContent.Value;

    /// <summary>Completes once every index of <see cref="MongoSchema.Indexes"/> exists.</summary>
    public Task ReadyAsync(CancellationToken cancellationToken = default)
    {
        Task ready;
        lock (_gate)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled)
                _ready = CreateIndexesAsync();
            ready = _ready;
        }
        return ready.IsCompletedSuccessfully ? Task.CompletedTask : ready.WaitAsync(cancellationToken);
    }

    private async Task CreateIndexesAsync()
    {
        foreach (var (collection, indexes) in MongoSchema.Indexes(Options.IdempotencyRetention))
        {
            if (indexes.Count > 0)
                await Database.GetCollection<BsonDocument>(collection).Indexes.CreateManyAsync(indexes);
        }
    }

    public void Dispose() => _client?.Dispose();

    private static MongoClient CreateClient(MongoOptions options, out MongoClient client)
    {
        var settings = MongoClientSettings.FromConnectionString(options.ConnectionString);
        settings.ApplicationName ??= "retab-runs";
        client = new MongoClient(settings);
        return client;
    }
}
