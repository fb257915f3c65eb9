using LiteDB;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Storage.Tests;

/// <summary>
/// Every index of a result slot is paid for at planning, once per test of a run, so the slots keep only the indexes a
/// query needs; a file from an older version loses the others when it opens.
/// </summary>
public sealed class LiteDbResultIndexesTests
{
    [Fact]
    public async Task A_file_with_the_older_slot_indexes_keeps_only_those_queries_use()
    {
        var file = new TempDatabaseFile();
        try
        {
            using (var older = new LiteDbContext(file.Path))
            {
                // As an older version left the file: the same collation, the indexes it made.
                var results = older.Results;
                foreach (var field in new[] { "run", "status" })
                    results.EnsureIndex(field, $"$.{field}");
                results.EnsureIndex("rt", "$.rt", unique: true);
                results.Insert(new BsonDocument { ["_id"] = "result_1", ["run"] = "run_1", ["test"] = "test_1", ["rt"] = "run_1|test_1", ["status"] = "Queued" });
            }

            using var db = new LiteDbContext(file.Path);

            var indexes = db.Database.GetCollection("$indexes").Query()
                .Where("collection = 'test_results'").ToEnumerable().Select(i => i["name"].AsString).Order(StringComparer.Ordinal);
            Assert.Equal(["_id", "test", "twc"], indexes);
            Assert.Equal("test_1", db.Results.FindById("result_1")["test"].AsString);
        }
        finally
        {
            await file.Delete();
        }
    }
}
