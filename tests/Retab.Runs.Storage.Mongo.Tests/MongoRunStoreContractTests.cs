using MongoDB.Bson;
using MongoDB.Driver;
using Retab.Runs.Storage.Mongo.Tests.Infrastructure;
using Retab.Runs.Storage.Tests;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary>
/// The shared store contract (<see cref="RunStoreContract"/>, written once for every provider) on MongoDB: each test
/// gets a <see cref="TestDatabase"/> of its own, dropped afterwards. Without a server
/// every test reports as skipped with the reason.
/// </summary>
public sealed class MongoRunStoreContractTests : RunStoreContract
{
    private readonly TestDatabase _database = new();

    protected override async Task<StoreSet> OpenAsync()
    {
        var db = await _database.OpenAsync();
        return new StoreSet(new MongoWorkflowStore(db), new MongoTestStore(db), new MongoRunStore(db), new MongoIdempotencyStore(db));
    }

    protected override Task CloseAsync()
    {
        _database.Close();
        return Task.CompletedTask;
    }

    protected override Task DeleteStorageAsync() => _database.DropAsync();

    [SkippableFact]
    public async Task The_store_is_a_database_of_its_own_with_the_collections_and_indexes_of_design_6()
    {
        using var client = new MongoClient(_database.ConnectionString);
        var database = client.GetDatabase(_database.Name);
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

        using var client = new MongoClient(_database.ConnectionString);
        var database = client.GetDatabase(_database.Name);
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
