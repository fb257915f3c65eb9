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
}
