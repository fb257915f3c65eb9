using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using Retab.Runs.Core.Runs;
using static Retab.Runs.Storage.Mongo.MongoDefinitions;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary>A run's previous run and the changes recorded on it, as the MongoDB provider sends them (rendered without a server).</summary>
public class ComparisonBsonRenderingTests
{
    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static TestRun Run(RunScopeSpec scope) =>
        RunDocuments.Failed("wftestrun_this", "org_a", "wf_1", scope, RunDocuments.ApiTrigger, new RunError("x", "x"), T0);

    public static TheoryData<RunScopeSpec, string> Scopes => new()
    {
        { RunScopeSpec.WholeWorkflow, "workflow" },
        { new RunScopeSpec(RunScopeType.Block, BlockId: "block_a"), "block:block_a" },
        { new RunScopeSpec(RunScopeType.Single, TestId: "wfnodetest_1"), "single:wfnodetest_1" },
        { new RunScopeSpec(RunScopeType.Rerun, RunId: "wftestrun_0", Only: RerunOnly.NotPassed), "rerun:wftestrun_0:notpassed" },
    };

    [Theory]
    [MemberData(nameof(Scopes))]
    public void The_previous_run_is_the_newest_completed_run_of_the_organization_workflow_and_scope_with_a_smaller_id(RunScopeSpec scope, string key)
    {
        var (filter, sort) = PreviousCompletedRun(Run(scope));

        Assert.Equal(new BsonDocument
        {
            { "organization_id", "org_a" },
            { "workflow_id", "wf_1" },
            { "_id", new BsonDocument("$lt", "wftestrun_this") },
            { "status", "completed" },
            { "scope_key", key },
        }, filter.Render(Args));
        Assert.Equal(new BsonDocument("_id", -1), sort.Render(Args));
    }

    [Fact]
    public void Changes_are_set_on_a_run_that_did_not_end_in_error_or_cancelled()
    {
        Assert.Equal(new BsonDocument { { "_id", "wftestrun_1" }, { "status", new BsonDocument("$nin", new BsonArray { "error", "cancelled" }) } },
            RunEndingInCompleted("wftestrun_1").Render(Args));
        Assert.Equal(
            new BsonDocument("$set", new BsonDocument { { "baseline_run_id", "wftestrun_0" }, { "regressions", 2 }, { "fixes", 1 } }),
            RecordChanges("wftestrun_0", 2, 1).Render(Args).AsBsonDocument);
    }

    [Fact]
    public void A_run_document_holds_its_scope_key_and_rerun_of_and_reads_back_recorded_changes_over_its_body()
    {
        var run = Run(new RunScopeSpec(RunScopeType.Rerun, RunId: "wftestrun_0", Only: RerunOnly.Failed));
        var document = MongoDocuments.ToDocument(run);
        Assert.Equal("rerun:wftestrun_0:failed", document["scope_key"].AsString);
        Assert.Equal("wftestrun_0", document["rerun_of"].AsString);
        Assert.True(document["regressions"].IsBsonNull);

        document["baseline_run_id"] = "wftestrun_base";
        document["regressions"] = 4;
        document["fixes"] = 0;
        var read = MongoDocuments.ToRun(document);
        Assert.Equal(("wftestrun_base", 4, 0), (read.BaselineRunId, read.Regressions, read.Fixes));
        Assert.Equal(RerunOnly.Failed, read.Scope.Only);
    }
}
