using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using Retab.Runs.Core.Limits;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary>
/// The limits of <see cref="ServiceLimits"/> in the documents the MongoDB provider builds, without a server: every
/// document is measured as the BSON the driver sends, before it is sent, and bodies nest as deep as the gateway and the
/// bus let through.
/// </summary>
public class DocumentLimitTests
{
    private static string OverTheLimit() => new('x', ServiceLimits.MaxStoredDocumentBytes + 1024 * 1024);

    private static JsonNode Nested(int depth)
    {
        JsonNode node = JsonValue.Create("bottom");
        for (var level = depth; level > 0; level--)
            node = level % 2 == 0 ? new JsonArray(node) : new JsonObject { [$"level{level}"] = node };
        return node;
    }

    [Fact]
    public void A_document_of_exactly_the_limit_is_kept_and_one_byte_more_is_refused_naming_it()
    {
        BsonDocument Sized(int bodyLength) => new() { { "_id", "doc_1" }, { "body", new string('a', bodyLength) } };
        var bodyAtLimit = ServiceLimits.MaxStoredDocumentBytes - Sized(0).ToBson().Length;

        var kept = MongoDocuments.Bounded(StoredDocumentKind.Test, "doc_1", Sized(bodyAtLimit));
        var refused = Assert.Throws<DocumentTooLargeException>(() => MongoDocuments.Bounded(StoredDocumentKind.Test, "doc_1", Sized(bodyAtLimit + 1)));

        Assert.Equal(ServiceLimits.MaxStoredDocumentBytes, kept.ToBson().Length);
        Assert.Equal((StoredDocumentKind.Test, "doc_1", ServiceLimits.MaxStoredDocumentBytes + 1L, (long)ServiceLimits.MaxStoredDocumentBytes),
            (refused.Kind, refused.DocumentId, refused.SizeBytes, refused.LimitBytes));
    }

    [Fact]
    public void A_slot_is_measured_with_room_for_the_tokens_and_the_seal_its_writes_will_add()
    {
        var slot = Documents.Slot();
        var withoutRoom = MongoDocuments.ToDocument(slot).ToBson().Length;
        var justFits = ServiceLimits.MaxStoredDocumentBytes - withoutRoom;
        // Outputs that bring the document just under the limit on their own ("null" in the body becomes {"p":"…"})
        // leave no room for the tokens of "applied" and the "sealed" flag; the same outputs shorter by that room fit.
        var padding = new string('p', justFits - """{"p":""}""".Length);

        Assert.Throws<DocumentTooLargeException>(() => MongoDocuments.ToDocument(slot with { HandleOutputs = new JsonObject { ["p"] = padding } }));
        var largest = MongoDocuments.ToDocument(slot with { HandleOutputs = new JsonObject { ["p"] = padding[..^MongoDocuments.ReservedSlotBytes] } });

        // Grown by every later write (a full "applied" list) and by its run's ending (the seal), it still fits.
        largest["applied"] = new BsonArray(Enumerable.Range(0, MongoSchema.AppliedHistory).Select(_ => ObjectId.GenerateNewId()));
        largest["sealed"] = true;
        Assert.InRange(largest.ToBson().Length, 0, ServiceLimits.MaxStoredDocumentBytes);
    }

    [Fact]
    public void A_slot_write_over_the_limit_is_refused_while_it_is_built_before_any_bulk_write_is_sent()
    {
        var slot = Documents.Slot() with { Status = SlotStatus.Completed, HandleOutputs = new JsonObject { ["output-json-0"] = OverTheLimit() } };

        var refused = Assert.Throws<DocumentTooLargeException>(() => MongoDefinitions.WriteSlot(slot, ObjectId.GenerateNewId()));

        Assert.Equal(StoredDocumentKind.Result, refused.Kind);
        Assert.Equal(slot.Id, refused.DocumentId);
    }

    [Fact]
    public void A_workflow_replacement_over_the_limit_is_refused_while_it_is_built()
    {
        var workflow = Documents.Workflow();
        var oversized = workflow with { Blocks = [workflow.Blocks[0] with { Config = new JsonObject { ["code"] = OverTheLimit() } }] };

        var refused = Assert.Throws<DocumentTooLargeException>(() => MongoDefinitions.ReplaceWorkflow(oversized));

        Assert.Equal((StoredDocumentKind.Workflow, workflow.Id), (refused.Kind, refused.DocumentId));
    }

    [Fact]
    public void A_file_whose_metadata_is_over_the_limit_is_refused()
    {
        var file = new Core.Files.StoredFile
        {
            Id = "file_1",
            OrganizationId = "org_a",
            Filename = OverTheLimit(),
            SizeBytes = 0,
            Status = Core.Files.FileStatus.Pending,
            CreatedAt = Documents.T0,
            UpdatedAt = Documents.T0,
            UploadExpiresAt = Documents.T0.AddHours(1),
        };

        Assert.Equal(StoredDocumentKind.File, Assert.Throws<DocumentTooLargeException>(() => MongoFileDefinitions.ToDocument(file)).Kind);
    }

    [Fact]
    public void User_json_100_levels_deep_round_trips_through_bson_in_a_test_and_a_slot()
    {
        var expected = Nested(100).ToJsonString();
        var test = Documents.Test() with { HandleInputs = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = Nested(100) } } };
        var slot = Documents.Slot() with
        {
            HandleInputs = test.HandleInputs.DeepClone().AsObject(),
            HandleOutputs = new JsonObject { ["output-json-0"] = new JsonObject { ["type"] = "json", ["data"] = Nested(100) } },
        };

        var readTest = MongoDocuments.ToTest(BsonSerializer.Deserialize<BsonDocument>(MongoDocuments.ToDocument(test).ToBson()));
        var readSlot = MongoDocuments.ToResult(BsonSerializer.Deserialize<BsonDocument>(MongoDocuments.ToDocument(slot).ToBson()));

        Assert.Equal(expected, readTest.HandleInputs["input-json-0"]!["data"]!.ToJsonString());
        Assert.Equal(expected, readSlot.HandleInputs["input-json-0"]!["data"]!.ToJsonString());
        Assert.Equal(expected, readSlot.HandleOutputs!["output-json-0"]!["data"]!.ToJsonString());
    }
}
