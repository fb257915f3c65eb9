using LiteDB;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Storage.Tests;

/// <summary>The store measures documents without serializing them; the measure must be what LiteDB actually writes.</summary>
public class LiteDbBsonSizeTests
{
    public static TheoryData<string, BsonDocument> Documents() => new()
    {
        { "empty", new BsonDocument() },
        { "a stored body with index fields", new BsonDocument
            {
                ["_id"] = "wfnodetestrun_abc",
                ["body"] = """{"unicode":"héllo wörld — 日本語 🚀","nul":"\u0000"}""",
                ["org"] = "org_é",
                ["progress"] = 1_740_830_400_000L,
                ["published"] = false,
                ["verdict"] = BsonValue.Null,
            } },
        { "every other type", new BsonDocument
            {
                ["int"] = 7,
                ["double"] = 1.5,
                ["decimal"] = 1.5m,
                ["date"] = new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc),
                ["guid"] = Guid.NewGuid(),
                ["oid"] = ObjectId.NewObjectId(),
                ["bytes"] = new byte[] { 1, 2, 3 },
                ["min"] = BsonValue.MinValue,
                ["max"] = BsonValue.MaxValue,
                ["nested"] = new BsonDocument { ["list"] = new BsonArray(Enumerable.Range(0, 12).Select(i => new BsonValue(i))), ["ñ"] = "ü" },
            } },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void The_measured_size_is_the_serialized_size(string shape, BsonDocument document)
    {
        var written = BsonSerializer.Serialize(document).Length;
        var measured = BsonSize.Of(document);

        Assert.True(written == measured, $"{shape}: measured {measured} bytes, LiteDB wrote {written}");
    }
}
