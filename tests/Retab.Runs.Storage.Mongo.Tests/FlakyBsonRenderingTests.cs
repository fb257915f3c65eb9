using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using Retab.Runs.Core.Flakiness;
using Retab.Runs.Core.Runs;
using static Retab.Runs.Storage.Mongo.MongoDefinitions;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary>The flaky window query and the field it reads, rendered to BSON without a server.</summary>
public class FlakyBsonRenderingTests
{
    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);

    [Fact]
    public void The_window_is_a_tests_completed_results_under_one_key_newest_first_reading_only_verdicts()
    {
        var key = new FlakyWindowKey("config-fp", "inputs-fp");

        var (filter, sort, projection) = RecentVerdicts("$org.a", "wfnodetest_1", key);

        Assert.Equal(new BsonDocument
        {
            { "test_id", "wfnodetest_1" },
            { "flaky_window", key.Fingerprint },
            { "status", "completed" },
            { "organization_id", "$org.a" },
        }, filter.Render(Args));
        Assert.Equal(new BsonDocument { { "completed_at", -1 }, { "_id", -1 } }, sort.Render(Args));
        Assert.Equal(new BsonDocument { { "_id", 1 }, { "verdict", 1 }, { "completed_at", 1 } }, projection.Render(Args));
    }

    [Fact]
    public void An_index_serves_the_window_with_equality_fields_before_the_sort()
    {
        var keys = MongoSchema.Indexes(null)[MongoSchema.Results].Select(i => i.Keys.Render(Args)).ToList();

        Assert.Contains(new BsonDocument { { "test_id", 1 }, { "flaky_window", 1 }, { "status", 1 }, { "completed_at", -1 }, { "_id", -1 } }, keys);
    }

    [Fact]
    public void A_slot_is_stored_with_the_window_key_of_its_fingerprints()
    {
        var slot = Documents.Slot();

        var document = MongoDocuments.ToDocument(slot);

        Assert.Equal(FlakyWindowKey.Of(slot.Fingerprints).Fingerprint, document["flaky_window"].AsString);
    }

    [Fact]
    public void A_window_document_reads_back_as_a_verdict_sample()
    {
        var at = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var document = new BsonDocument { { "_id", "wfnodetestrun_1" }, { "verdict", "failed" }, { "completed_at", new BsonDateTime(at.ToUnixTimeMilliseconds()) } };

        Assert.Equal(new VerdictSample("wfnodetestrun_1", Verdict.Failed, at), ReadVerdictSample(document));
    }
}
