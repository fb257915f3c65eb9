using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using Retab.Runs.Core.Runs;
using Retab.Runs.Storage.Mongo;
using static Retab.Runs.Storage.Mongo.MongoDefinitions;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary>
/// What planning a run a chunk at a time sends, rendered without a server: the scope is counted and its ids listed on
/// the (organization, workflow[, block], _id) indexes, tests are read by id in id order, and the queue move sets the
/// inputs fingerprint computed while the tests were read.
/// </summary>
public class PlanningBsonRenderingTests
{
    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Tests_are_read_by_id_within_the_organization_and_workflow_in_ascending_id_order()
    {
        var filter = TestsOf("org_a", "wf_1", ["wfnodetest_2", "$where"]).Render(Args);

        Assert.Equal(new BsonDocument
        {
            { "organization_id", "org_a" },
            { "workflow_id", "wf_1" },
            { "_id", new BsonDocument("$in", new BsonArray { "wfnodetest_2", "$where" }) },
        }, filter);
        Assert.Equal(new BsonDocument("_id", 1), ByTestId.Render(Args));
        Assert.Equal(new BsonDocument("_id", 1), IdOnly.Render(Args));
    }

    [Fact]
    public void The_scope_count_filters_match_an_index_prefix()
    {
        var indexes = MongoSchema.Indexes(null)[MongoSchema.Tests].Select(i => i.Keys.Render(Args).Names.ToList()).ToList();

        Assert.Contains(indexes, keys => keys.SequenceEqual(["organization_id", "workflow_id", "_id"]));
        Assert.Contains(indexes, keys => keys.SequenceEqual(["organization_id", "workflow_id", "target_block_id", "_id"]));
        Assert.Equal(["organization_id", "workflow_id"], TestsOf("org_a", "wf_1").Render(Args).Names);
        Assert.Equal(["organization_id", "workflow_id", "target_block_id"], TestsOf("org_a", "wf_1", "block_a").Render(Args).Names);
    }

    [Fact]
    public void Queueing_a_run_planned_in_chunks_sets_its_inputs_fingerprint_as_a_value()
    {
        var update = QueueRun(RunCounts.AllQueued(3), T0, "sha256:{\"$set\":1}").Render(Args).AsBsonDocument;

        Assert.Equal(new BsonDocument
        {
            { "status", "queued" },
            { "total_tests", 3 },
            { "counts", MongoDocuments.Counts(RunCounts.AllQueued(3)) },
            { "inputs_fingerprint", "sha256:{\"$set\":1}" },
        }, update["$set"]);
        Assert.DoesNotContain("inputs_fingerprint", QueueRun(RunCounts.AllQueued(3), T0).Render(Args).AsBsonDocument["$set"].AsBsonDocument.Names);
    }

    [Fact]
    public void A_queued_run_reads_its_fingerprint_from_the_field_the_queue_move_set_and_an_older_one_from_its_body()
    {
        var pending = Documents.Run() with { InputsFingerprint = "" };
        var document = MongoDocuments.ToDocument(pending);
        Assert.Equal("", MongoDocuments.ToRun(document).InputsFingerprint);

        document["inputs_fingerprint"] = "sha256:queued";
        Assert.Equal("sha256:queued", MongoDocuments.ToRun(document).InputsFingerprint);

        var older = MongoDocuments.ToDocument(pending with { InputsFingerprint = "sha256:in-body" });
        Assert.Equal("sha256:in-body", MongoDocuments.ToRun(older).InputsFingerprint);
    }
}
