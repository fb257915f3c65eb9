using LiteDB;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Storage.Tests;

/// <summary>LiteDB compiles and caches every distinct filter text forever, so a value must never be part of the text.</summary>
public class LiteDbFilterTests
{
    public static TheoryData<Func<string, BsonExpression>> Filters() => new()
    {
        value => Filter.Eq("run", value),
        value => Filter.Lt("progress", value),
        value => Filter.Gt("_id", value),
        value => Filter.In("status", [value, "other"]),
        value => Filter.Between("_id", value, value + "~"),
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public void Filters_on_different_values_share_one_expression_text(Func<string, BsonExpression> filter)
    {
        var one = filter("wftestrun_aaaaaaaaaaaaaaaaaaaaaaaa");
        var two = filter("wftestrun_bbbbbbbbbbbbbbbbbbbbbbbb");

        Assert.Equal(one.Source, two.Source);
        Assert.DoesNotContain("aaaa", one.Source);
    }

    [Fact]
    public void A_parameterized_filter_selects_by_its_value()
    {
        using var db = new LiteDatabase(":memory:");
        var collection = db.GetCollection("things");
        collection.EnsureIndex("run", "$.run");
        collection.Insert(new BsonDocument { ["_id"] = "1", ["run"] = "a", ["status"] = "Queued" });
        collection.Insert(new BsonDocument { ["_id"] = "2", ["run"] = "b", ["status"] = "Running" });
        collection.Insert(new BsonDocument { ["_id"] = "3", ["run"] = "a", ["status"] = "Completed" });

        var active = collection.Query()
            .Where(Filter.Eq("run", "a"))
            .Where(Filter.In("status", ["Queued", "Running"]))
            .ToList();

        Assert.Equal("1", Assert.Single(active)["_id"].AsString);
        Assert.Equal(["2", "3"], collection.Query().Where(Filter.Gt("_id", "1")).ToList().Select(d => d["_id"].AsString).Order());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_range_of_ids_is_read_in_order_from_the_id_index_without_sorting(bool ascending)
    {
        var file = Path.Combine(Path.GetTempPath(), $"retab-runs-range-{Guid.NewGuid():n}.db");
        using var db = new LiteDbContext(file);
        var results = db.Results;
        foreach (var (run, count) in new[] { ("a", 30), ("b", 30) })
        {
            for (var i = 0; i < count; i++)
                results.Insert(new BsonDocument { ["_id"] = $"r_{run}{i:D3}", ["run"] = run, ["rt"] = $"{run}|{i}" });
        }

        var query = Paging.IdRange(results, "r_a", "r_a" + char.MaxValue, ascending);
        var plan = query.GetPlan();

        // No "orderBy" step: LiteDB walks the _id index in the requested order and can stop after a page.
        Assert.Equal("_id", plan["index"]["name"].AsString);
        Assert.Equal(ascending ? 1 : -1, plan["index"]["order"].AsInt32);
        Assert.False(plan.ContainsKey("orderBy"), plan.ToString());
        var expected = Enumerable.Range(0, 30).Select(i => $"r_a{i:D3}");
        Assert.Equal(ascending ? expected : expected.Reverse(), query.ToEnumerable().Select(d => d["_id"].AsString));
        db.Dispose();
        File.Delete(file);
    }
}
