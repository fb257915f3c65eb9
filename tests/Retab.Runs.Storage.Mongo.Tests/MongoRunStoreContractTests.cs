using MongoDB.Bson;
using MongoDB.Driver;
using Retab.Runs.Storage.Mongo.Tests.Infrastructure;
using Retab.Runs.Storage.Tests;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary>
/// The shared store contract (<see cref="RunStoreContract"/>, written once for every provider) on MongoDB: each test
/// gets a database of its own on the server found by <see cref="MongoServer"/>, dropped afterwards. Without a server
/// every test reports as skipped with the reason.
/// </summary>
public sealed class MongoRunStoreContractTests : RunStoreContract
{
    private readonly string _database = $"retab_runs_test_{Guid.NewGuid():N}";
    private string? _connectionString;
    private MongoContext? _db;

    protected override async Task<StoreSet> OpenAsync()
    {
        var server = await MongoServer.GetAsync();
        if (server.Error is not null)
            throw new InvalidOperationException(server.Error);
        Skip.If(server.ConnectionString is null, server.SkipReason);
        _connectionString = server.ConnectionString!;
        // Idempotency records carry the tests' fixed 2025 clock: no TTL index, or MongoDB would expire them mid-test.
        _db = new MongoContext(new MongoOptions { ConnectionString = _connectionString, Database = _database, IdempotencyRetention = null });
        await _db.ReadyAsync();
        return new StoreSet(new MongoWorkflowStore(_db), new MongoTestStore(_db), new MongoRunStore(_db), new MongoIdempotencyStore(_db));
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

    [SkippableFact]
    public async Task The_store_is_a_database_of_its_own_with_the_collections_and_indexes_of_design_6()
    {
        using var client = new MongoClient(_connectionString);
        var database = client.GetDatabase(_database);
        var collections = await (await database.ListCollectionNamesAsync()).ToListAsync();
        Assert.Superset(new HashSet<string> { MongoSchema.Workflows, MongoSchema.Tests, MongoSchema.Runs, MongoSchema.Results }, collections.ToHashSet());

        var resultIndexes = await (await database.GetCollection<BsonDocument>(MongoSchema.Results).Indexes.ListAsync()).ToListAsync();
        var runTest = Assert.Single(resultIndexes, i => i["name"] == "run_id_test_id");
        Assert.Equal(new BsonDocument { { "run_id", 1 }, { "test_id", 1 } }, runTest["key"].AsBsonDocument);
        Assert.True(runTest["unique"].ToBoolean());
        Assert.Contains(resultIndexes, i => i["key"].AsBsonDocument == new BsonDocument { { "run_id", 1 }, { "status", 1 } });
        var runIndexes = await (await database.GetCollection<BsonDocument>(MongoSchema.Runs).Indexes.ListAsync()).ToListAsync();
        Assert.Contains(runIndexes, i => i["key"].AsBsonDocument == new BsonDocument { { "organization_id", 1 }, { "workflow_id", 1 }, { "created_at", 1 } });
    }

    [SkippableFact]
    public async Task User_json_is_stored_as_text_never_as_bson_field_names()
    {
        var workflow = NewWorkflow(blocks: [FunctionBlock("block_a") with { Config = Tricky() }]);
        await Workflows.InsertAsync(workflow);
        await Tests.InsertAsync(NewTest(workflow, data: Tricky()));

        using var client = new MongoClient(_connectionString);
        var database = client.GetDatabase(_database);
        foreach (var name in new[] { MongoSchema.Workflows, MongoSchema.Tests })
        {
            var stored = await database.GetCollection<BsonDocument>(name).Find(FilterDefinition<BsonDocument>.Empty).FirstAsync();
            Assert.All(FieldNames(stored), field => Assert.DoesNotContain(field, new[] { "$gt", "a.b", "", "$where", "__proto__" }));
            Assert.Contains("\"$gt\"", stored[MongoSchema.Fields.Body].AsString);
        }
    }

    private static IEnumerable<string> FieldNames(BsonValue value) => value switch
    {
        BsonDocument document => document.Elements.SelectMany(e => FieldNames(e.Value).Prepend(e.Name)),
        BsonArray array => array.SelectMany(FieldNames),
        _ => [],
    };
}
