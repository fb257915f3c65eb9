using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Organizations;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary>Domain objects for the mapping and rendering tests, full of user JSON that trips document databases.</summary>
internal static class Documents
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public const string TrickyJson = """
        {"$gt":{"$where":"sleep(1)","$set":1},"a.b":{"c.d":[1,2,{"e.f":null}]},"":"empty key","_id":"not an id","$":"$",
         "big":12345678901234567890,"onePointZero":1.0,"exp":1.5e300,"negzero":-0,"unicode":"héllo 🚀","nul":"a\u0000b"}
        """;

    public static JsonObject Tricky() => JsonNode.Parse(TrickyJson)!.AsObject();

    public static Workflow Workflow() => new()
    {
        Id = ResourceIds.New(ResourceIds.Workflow, T0),
        OrganizationId = "org_a",
        Name = "w",
        Blocks = [new Block("block_a", BlockTypes.Function, "a", Tricky())],
        CreatedAt = T0,
        UpdatedAt = T0,
        TestsChangedAt = T0.AddSeconds(1),
    };

    public static WorkflowTest Test() => new()
    {
        Id = ResourceIds.New(ResourceIds.Test, T0),
        OrganizationId = "org_a",
        WorkflowId = "wf_1",
        TargetBlockId = "block_a",
        Source = Tricky(),
        HandleInputs = new JsonObject { ["$gt"] = Tricky(), ["a.b"] = new JsonObject { ["type"] = "json", ["data"] = Tricky() } },
        Assertion = new Assertion("assert_1", new AssertionTarget("output-json-0", "$gt.a"), new JsonObject { ["kind"] = "equals", ["expected"] = Tricky() }, "label"),
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    public static TestRun Run() => RunDocuments.Pending(
        ResourceIds.New(ResourceIds.Run, T0), "org_a",
        RunPlanner.Plan(Workflow(), [Test() with { WorkflowId = Workflow().Id }], RunScopeSpec.WholeWorkflow),
        new RunScopeSpec(RunScopeType.Single, TestId: "wfnodetest_1"), RunDocuments.ApiTrigger, T0);

    public static TestResult Slot() => new()
    {
        Id = "wfnodetestrun_1",
        RunId = "wftestrun_1",
        OrganizationId = "org_a",
        WorkflowId = "wf_1",
        TestId = "wfnodetest_1",
        BlockId = "block_a",
        BlockType = BlockTypes.Function,
        BlockConfig = Tricky(),
        HandleInputs = Tricky(),
        Assertion = Test().Assertion,
        Fingerprints = new ResultFingerprints("h", "d", "b", "a"),
        Status = SlotStatus.Queued,
        CreatedAt = T0,
        Deadline = T0.AddMinutes(2),
    };
}

/// <summary>
/// How domain objects become BSON documents: user JSON is a JSON string in <c>body</c>, never BSON field names (so it
/// can never be read as an operator or a path) and it round-trips byte for byte through the BSON wire format.
/// </summary>
public class DocumentMappingTests
{
    private static readonly HashSet<string> SchemaNames =
    [
        .. typeof(MongoSchema.Fields).GetFields().Select(f => (string)f.GetValue(null)!),
        .. MongoSchema.CountFields.All,
    ];

    private static IEnumerable<string> FieldNames(BsonValue value) => value switch
    {
        BsonDocument document => document.Elements.SelectMany(e => FieldNames(e.Value).Prepend(e.Name)),
        BsonArray array => array.SelectMany(FieldNames),
        _ => [],
    };

    /// <summary>Through the wire format and back, as a server would store and return it.</summary>
    private static BsonDocument ThroughBson(BsonDocument document) => BsonSerializer.Deserialize<BsonDocument>(document.ToBson());

    public static TheoryData<string> Kinds => new() { "workflow", "test", "run", "slot", "api_key", "idempotency" };

    private static BsonDocument DocumentOf(string kind) => kind switch
    {
        "workflow" => MongoDocuments.ToDocument(Documents.Workflow()),
        "test" => MongoDocuments.ToDocument(Documents.Test()),
        "run" => MongoDocuments.ToDocument(Documents.Run() with { Error = new RunError("$gt", "a.b") }),
        "slot" => MongoDocuments.ToDocument(Documents.Slot() with { HandleOutputs = Documents.Tricky() }),
        "api_key" => MongoDocuments.ToDocument(new ApiKey("key_1", "hash", "$org.a", "$name.x", "rr_abc", ApiKeyOrigin.Admin, Documents.T0)),
        "idempotency" => MongoDocuments.ToDocument(new IdempotencyRecord("$org", "a.b", "sha256:x", 201, "/v1/x", Documents.TrickyJson, Documents.T0), TimeSpan.FromHours(48)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_field_name_of_a_stored_document_comes_from_the_schema_never_from_user_json(string kind)
    {
        var document = DocumentOf(kind);

        Assert.All(FieldNames(document), name => Assert.Contains(name, SchemaNames));
        Assert.IsType<BsonString>(document[MongoSchema.Fields.Body]);
    }

    [Fact]
    public void A_test_round_trips_byte_for_byte_through_bson()
    {
        var test = Documents.Test();

        var read = MongoDocuments.ToTest(ThroughBson(MongoDocuments.ToDocument(test)));

        Assert.Equal(test.HandleInputs.ToJsonString(), read.HandleInputs.ToJsonString());
        Assert.Equal(test.Source.ToJsonString(), read.Source.ToJsonString());
        Assert.Equal(test.Assertion.Condition.ToJsonString(), read.Assertion.Condition.ToJsonString());
        Assert.Equal(test.Assertion.Target, read.Assertion.Target);
        Assert.Contains("\"big\":12345678901234567890", read.Source.ToJsonString());
        Assert.Contains("\"onePointZero\":1.0", read.Source.ToJsonString());
        Assert.Equal(test.HandleInputsFingerprint, read.HandleInputsFingerprint);
    }

    [Fact]
    public void A_workflow_round_trips_with_its_overlaid_fields()
    {
        var workflow = Documents.Workflow();
        var document = ThroughBson(MongoDocuments.ToDocument(workflow));
        document["draft_number"] = 5;
        document["tests_changed_at"] = new BsonDateTime(Documents.T0.AddMinutes(9).ToUnixTimeMilliseconds());

        var read = MongoDocuments.ToWorkflow(document);

        Assert.Equal(Documents.Tricky().ToJsonString(), read.Blocks[0].Config.ToJsonString());
        Assert.Equal(5, read.DraftNumber);
        Assert.Equal(Documents.T0.AddMinutes(9), read.TestsChangedAt);
        Assert.Equal(workflow.CreatedAt, read.CreatedAt);
    }

    [Fact]
    public void A_run_reads_its_lifecycle_and_counts_from_the_fields_that_atomic_updates_change()
    {
        var run = Documents.Run();
        var document = ThroughBson(MongoDocuments.ToDocument(run));
        Assert.Equal("pending", document["status"]);
        Assert.Equal("wfnodetest_1", document["test_id"]);
        Assert.Equal(MongoDocuments.Counts(run.Counts), document["counts"]);

        // What $inc / $set on the run document do, without touching the body.
        document["status"] = "running";
        document["counts"]["queued"] = 0;
        document["counts"]["completed"] = 1;
        document["counts"]["failed"] = 1;
        document["started_at"] = new BsonDateTime(Documents.T0.AddSeconds(2).ToUnixTimeMilliseconds());
        document["last_progress_at"] = new BsonDateTime(Documents.T0.AddSeconds(3).ToUnixTimeMilliseconds());
        document["error"] = MongoDocuments.BodyText(new RunError("$gt", "a.b", "block_a"));
        document["cancel_reason"] = "{\"$set\":1}";

        var read = MongoDocuments.ToRun(document);

        Assert.Equal(RunStatus.Running, read.Status);
        Assert.Equal(new RunCounts(Completed: 1, Failed: 1), read.Counts);
        Assert.Equal(Documents.T0.AddSeconds(2), read.StartedAt);
        Assert.Equal(Documents.T0.AddSeconds(3), read.LastProgressAt);
        Assert.Null(read.CompletedAt);
        Assert.Equal(new RunError("$gt", "a.b", "block_a"), read.Error);
        Assert.Equal("{\"$set\":1}", read.CancelReason);
        Assert.Equal(run.Scope, read.Scope);
        Assert.Equal(run.DraftFingerprint, read.DraftFingerprint);
    }

    [Fact]
    public void A_slot_reads_status_and_attempts_from_its_fields_and_user_json_from_its_body()
    {
        var slot = Documents.Slot() with { HandleOutputs = Documents.Tricky() };
        var document = ThroughBson(MongoDocuments.ToDocument(slot));
        Assert.Equal(0L, document["rev"]);
        Assert.Equal(new BsonArray(), document["applied"]);

        document["status"] = "cancelled";
        document["completed_at"] = new BsonDateTime(Documents.T0.AddSeconds(5).ToUnixTimeMilliseconds());
        document["attempt"] = 3;
        var read = MongoDocuments.ToResult(document);

        Assert.Equal(SlotStatus.Cancelled, read.Status);
        Assert.Equal(Documents.T0.AddSeconds(5), read.CompletedAt);
        Assert.Equal(3, read.Attempt);
        Assert.Equal(slot.Deadline, read.Deadline);
        Assert.Equal(Documents.Tricky().ToJsonString(), read.HandleOutputs!.ToJsonString());
        Assert.Equal(slot.HandleInputs.ToJsonString(), read.HandleInputs.ToJsonString());
        Assert.Equal(slot.BlockConfig.ToJsonString(), read.BlockConfig.ToJsonString());
        Assert.Equal(slot.Fingerprints, read.Fingerprints);
    }

    [Fact]
    public void An_idempotency_record_keeps_its_response_body_exactly_and_expires_after_the_retention()
    {
        var record = new IdempotencyRecord("org_a", "$key.with.dots", "sha256:x", 201, "/v1/x", Documents.TrickyJson, Documents.T0);

        var document = ThroughBson(MongoDocuments.ToDocument(record, TimeSpan.FromHours(48)));

        Assert.Equal(record, MongoDocuments.ToIdempotencyRecord(document));
        Assert.Equal(new BsonDocument { { "organization_id", "org_a" }, { "key", "$key.with.dots" } }, document["_id"]);
        Assert.Equal(new BsonDateTime(Documents.T0.AddHours(48).ToUnixTimeMilliseconds()), document["expires_at"]);
        Assert.False(MongoDocuments.ToDocument(record, null).Contains("expires_at"));
    }

    [Fact]
    public void An_api_key_is_stored_under_its_id_with_its_hash_and_organization_and_never_its_secret()
    {
        var secret = ApiKey.NewSecret();
        var key = ApiKey.Create(secret, "org_a", "ci", ApiKeyOrigin.Configured, Documents.T0);

        var document = ThroughBson(MongoDocuments.ToDocument(key));

        Assert.Equal(key.Id, document["_id"].AsString);
        Assert.Equal(key.KeyHash, document["key_hash"].AsString);
        Assert.Equal("org_a", document["organization_id"].AsString);
        Assert.Equal(key, MongoDocuments.ToApiKey(document));
        Assert.DoesNotContain(secret, document.ToJson());
    }

    [Fact]
    public void An_api_key_stored_before_key_ids_existed_reads_with_its_hash_as_id_and_a_legacy_origin()
    {
        var document = LegacyApiKey.Document("abc123", "org_a", "rr_abc", Documents.T0);

        var key = MongoDocuments.ToApiKey(ThroughBson(document));

        Assert.Equal(new ApiKey("abc123", "abc123", "org_a", null, "rr_abc", ApiKeyOrigin.Legacy, Documents.T0), key);
    }

    [Fact]
    public void Times_are_stored_as_bson_dates_in_utc_milliseconds()
    {
        var at = new DateTimeOffset(2025, 3, 1, 14, 0, 0, 123, TimeSpan.FromHours(2));

        var stored = MongoDocuments.Time(at);

        Assert.Equal(BsonType.DateTime, stored.BsonType);
        Assert.Equal(at, MongoDocuments.ReadTime(stored));
        Assert.Equal(TimeSpan.Zero, MongoDocuments.ReadTime(stored).Offset);
        Assert.Equal(BsonNull.Value, MongoDocuments.Time((DateTimeOffset?)null));
    }
}
