using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using static Retab.Runs.Storage.Mongo.MongoDefinitions;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary>
/// The filters, updates and pipelines the MongoDB provider sends, rendered to BSON by the driver without a server:
/// the guards of DESIGN §5 are conditional single-document updates, counts change by <c>$inc</c> only, and user
/// values are only ever compared or set as values.
/// </summary>
public class BsonRenderingTests
{
    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static BsonDocument Render(FilterDefinition<BsonDocument> filter) => filter.Render(Args);

    private static BsonDocument Render(UpdateDefinition<BsonDocument> update)
    {
        var rendered = update.Render(Args);
        // Never an aggregation-pipeline update: there, a user string starting with '$' would be read as a field path.
        Assert.IsType<BsonDocument>(rendered);
        return rendered.AsBsonDocument;
    }

    private static BsonDateTime Date(DateTimeOffset at) => new(at.ToUnixTimeMilliseconds());

    private static BsonArray Statuses(params string[] names) => new(names);

    // ---- slot moves -----------------------------------------------------------------------------------------

    [Theory]
    [InlineData(SlotStatus.Queued, SlotStatus.Running, new[] { "pending", "queued" })]
    [InlineData(SlotStatus.Running, SlotStatus.Completed, new[] { "pending", "queued", "running" })]
    [InlineData(SlotStatus.Queued, SlotStatus.Error, new[] { "pending", "queued", "running" })]
    public void A_slot_move_is_guarded_by_the_lifecycle_sources_of_its_target_and_the_revision_it_was_computed_from(SlotStatus from, SlotStatus to, string[] sources)
    {
        var filter = Render(SlotWrite("wfnodetestrun_1", 7, from, to));

        Assert.Equal(new BsonDocument
        {
            { "_id", "wfnodetestrun_1" },
            { "rev", 7L },
            { "status", new BsonDocument("$in", Statuses(sources)) },
        }, filter);
        Assert.Equal(RunLifecycle.SlotSourcesFor(to).Select(MongoDocuments.Name), sources);
    }

    [Fact]
    public void A_result_arriving_after_cancel_is_written_only_while_the_slot_is_still_that_cancelled_revision()
    {
        var filter = Render(SlotWrite("wfnodetestrun_1", 2, SlotStatus.Cancelled, SlotStatus.Cancelled));

        Assert.Equal(new BsonDocument { { "_id", "wfnodetestrun_1" }, { "rev", 2L }, { "status", "cancelled" } }, filter);
    }

    [Theory]
    [InlineData(SlotStatus.Completed)]
    [InlineData(SlotStatus.Error)]
    public void A_late_result_replacing_worker_lost_is_written_only_while_the_slot_is_still_the_unsealed_revision_it_read(SlotStatus to)
    {
        // Outside the lifecycle's moves, so guarded by the status it was read in; sealing bumps the revision.
        var filter = Render(SlotWrite("wfnodetestrun_1", 4, SlotStatus.Error, to));

        Assert.Equal(new BsonDocument { { "_id", "wfnodetestrun_1" }, { "rev", 4L }, { "status", "error" } }, filter);
    }

    [Fact]
    public void An_ending_run_seals_its_unsealed_error_slots_and_bumps_their_revision_so_racing_late_results_retry()
    {
        Assert.Equal(new BsonDocument
        {
            { "run_id", "wftestrun_1" },
            { "status", "error" },
            { "sealed", new BsonDocument("$ne", true) },
        }, Render(UnsealedErrorSlotsOf("wftestrun_1")));
        Assert.Equal(new BsonDocument
        {
            { "$set", new BsonDocument("sealed", true) },
            { "$inc", new BsonDocument("rev", 1L) },
        }, Render(SealSlots()));
    }

    [Fact]
    public void A_slot_reads_as_sealed_only_once_its_run_sealed_it()
    {
        var stored = MongoDocuments.ToDocument(Documents.Slot() with { Status = SlotStatus.Error });

        Assert.False(stored.Contains("sealed"));
        Assert.False(MongoDocuments.IsSealed(stored));
        stored["sealed"] = true;
        Assert.True(MongoDocuments.IsSealed(stored));
    }

    [Fact]
    public void A_slot_write_sets_fixed_fields_bumps_the_revision_and_remembers_its_token()
    {
        var slot = Documents.Slot() with { Status = SlotStatus.Completed, Verdict = Verdict.Failed, CompletedAt = T0.AddSeconds(3), HandleOutputs = Documents.Tricky() };
        var token = ObjectId.GenerateNewId();

        var update = Render(WriteSlot(slot, token));

        Assert.Equal(["$set", "$inc", "$push"], update.Names);
        var set = update["$set"].AsBsonDocument;
        Assert.Equal(["status", "verdict", "completed_at", "attempt", "deadline", "body"], set.Names);
        Assert.Equal("completed", set["status"]);
        Assert.Equal("failed", set["verdict"]);
        Assert.Equal(Date(T0.AddSeconds(3)), set["completed_at"]);
        Assert.IsType<BsonString>(set["body"]);
        Assert.Contains("\"$gt\"", set["body"].AsString);
        Assert.Equal(new BsonDocument("rev", 1L), update["$inc"]);
        Assert.Equal(new BsonDocument("applied", new BsonDocument { { "$each", new BsonArray { token } }, { "$slice", -MongoSchema.AppliedHistory } }), update["$push"]);
    }

    [Theory]
    [InlineData(SlotStatus.Cancelled, "cancelled")]
    [InlineData(SlotStatus.Error, "error")]
    public void Ending_a_runs_active_slots_bumps_their_revision_so_concurrent_slot_writers_retry(SlotStatus endsAs, string name)
    {
        Assert.Equal(new BsonDocument { { "run_id", "wftestrun_1" }, { "status", new BsonDocument("$in", Statuses("pending", "queued", "running")) } },
            Render(ActiveSlotsOf("wftestrun_1")));
        Assert.Equal(new BsonDocument
        {
            { "$set", new BsonDocument { { "status", name }, { "completed_at", Date(T0) } } },
            { "$inc", new BsonDocument("rev", 1L) },
        }, Render(EndSlots(endsAs, T0)));
    }

    [Fact]
    public void Requeueing_needs_an_active_slot_still_at_the_attempt_seen_and_keeps_its_status()
    {
        Assert.Equal(new BsonDocument
        {
            { "_id", "wfnodetestrun_1" },
            { "status", new BsonDocument("$in", Statuses("pending", "queued", "running")) },
            { "attempt", 2 },
        }, Render(ResendableSlot("wfnodetestrun_1", 2)));
        Assert.Equal(new BsonDocument
        {
            { "$inc", new BsonDocument { { "attempt", 1 }, { "rev", 1L } } },
            { "$set", new BsonDocument("deadline", Date(T0.AddMinutes(5))) },
        }, Render(RequeueSlot(T0.AddMinutes(5))));
    }

    [Fact]
    public void Which_writes_of_a_bulk_landed_is_read_back_by_their_token()
    {
        var token = ObjectId.GenerateNewId();
        Assert.Equal(new BsonDocument { { "_id", new BsonDocument("$in", new BsonArray { "a", "b" }) }, { "applied", token } },
            Render(SlotsWrittenBy(["a", "b"], token)));
    }

    // ---- run moves and counts -------------------------------------------------------------------------------

    [Fact]
    public void Count_changes_are_increments_of_the_non_zero_counters_only()
    {
        var delta = new RunCounts().Move(SlotStatus.Queued, SlotStatus.Completed, Verdict.Passed);

        var update = Render(IncrementCounts(delta, T0.AddSeconds(4)));

        Assert.Equal(new BsonDocument
        {
            { "$inc", new BsonDocument { { "counts.queued", -1 }, { "counts.completed", 1 }, { "counts.passed", 1 } } },
            { "$max", new BsonDocument("last_progress_at", Date(T0.AddSeconds(4))) },
        }, update);
    }

    [Fact]
    public void Counts_are_incremented_only_while_the_run_is_active()
    {
        Assert.Equal(new BsonDocument { { "_id", "wftestrun_1" }, { "status", new BsonDocument("$in", Statuses("pending", "queued", "running")) } },
            Render(RunIn("wftestrun_1", RunLifecycle.ActiveRunStatuses)));
    }

    [Theory]
    [InlineData(RunStatus.Pending, RunStatus.Queued)]
    [InlineData(RunStatus.Queued, RunStatus.Running)]
    [InlineData(RunStatus.Running, RunStatus.Completed)]
    [InlineData(RunStatus.Queued, RunStatus.Cancelled)]
    [InlineData(RunStatus.Pending, RunStatus.Error)]
    public void A_run_move_is_a_conditional_update_on_the_status_that_was_read(RunStatus from, RunStatus to)
    {
        Assert.Equal(new BsonDocument { { "_id", "wftestrun_1" }, { "status", MongoDocuments.Name(from) } }, Render(RunMove("wftestrun_1", from, to)));
    }

    [Theory]
    [InlineData(RunStatus.Completed, RunStatus.Cancelled)]
    [InlineData(RunStatus.Running, RunStatus.Queued)]
    [InlineData(RunStatus.Pending, RunStatus.Completed)]
    public void A_move_the_lifecycle_forbids_cannot_even_be_built(RunStatus from, RunStatus to)
    {
        Assert.Throws<ArgumentException>(() => RunMove("wftestrun_1", from, to));
    }

    [Fact]
    public void Run_moves_set_status_times_and_counts_with_fixed_field_names()
    {
        var counts = new RunCounts(Completed: 2, Error: 1, Passed: 2);
        Assert.Equal(new BsonDocument("$set", new BsonDocument { { "status", "running" }, { "started_at", Date(T0) } }), Render(StartRun(T0)));
        Assert.Equal(new BsonDocument("$set", new BsonDocument
        {
            { "status", "completed" },
            { "counts", MongoDocuments.Counts(counts) },
            { "started_at", Date(T0) },
            { "completed_at", Date(T0.AddSeconds(9)) },
            { "last_progress_at", Date(T0.AddSeconds(9)) },
        }), Render(CompleteRun(counts, T0, T0.AddSeconds(9))));
        Assert.Equal(new BsonDocument("$set", new BsonDocument
        {
            { "status", "cancelled" },
            { "cancel_reason", "{\"$set\": 1}" },
            { "completed_at", Date(T0) },
            { "last_progress_at", Date(T0) },
        }), Render(CancelRun("{\"$set\": 1}", null, T0)));
        var queue = Render(QueueRun(RunCounts.AllQueued(3), T0));
        Assert.Equal(new BsonDocument { { "status", "queued" }, { "total_tests", 3 }, { "counts", MongoDocuments.Counts(RunCounts.AllQueued(3)) } }, queue["$set"]);
        Assert.Equal(new BsonDocument("last_progress_at", Date(T0)), queue["$max"]);
        var fail = Render(FailRun(new RunError("block_not_found", "Block '$x.y' does not exist.", "$x.y"), null, T0))["$set"].AsBsonDocument;
        Assert.Equal(["status", "error", "completed_at", "last_progress_at"], fail.Names);
        Assert.Equal("error", fail["status"]);
        Assert.IsType<BsonString>(fail["error"]);
        Assert.Equal(new BsonDocument("$set", new BsonDocument("completion_published", true)), Render(MarkCompletionPublished()));
        Assert.Equal(new BsonDocument("$set", new BsonDocument("start_published", true)), Render(MarkStartPublished()));
    }

    [Theory]
    [InlineData(RunStatus.Error)]
    [InlineData(RunStatus.Cancelled)]
    public void A_run_ending_before_it_was_queued_sets_its_counts_in_the_same_update(RunStatus to)
    {
        var counts = RunCounts.EndedBeforeQueued(to, 4);

        var set = Render(to == RunStatus.Error ? FailRun(new RunError("workflow_not_found", "gone"), counts, T0) : CancelRun(null, counts, T0))["$set"].AsBsonDocument;

        Assert.Equal(MongoDocuments.Name(to), set["status"]);
        Assert.Equal(MongoDocuments.Counts(counts), set["counts"]);
    }

    [Fact]
    public void The_sweeper_reads_stalled_active_runs_and_unpublished_terminal_runs()
    {
        Assert.Equal(new BsonDocument
        {
            { "status", new BsonDocument("$in", Statuses("pending", "queued", "running")) },
            { "last_progress_at", new BsonDocument("$lt", Date(T0)) },
        }, Render(StalledRuns(T0)));
        Assert.Equal(new BsonDocument
        {
            { "completion_published", false },
            { "status", new BsonDocument("$in", Statuses("completed", "error", "cancelled")) },
        }, Render(UnpublishedTerminalRuns()));
    }

    [Fact]
    public void Counts_are_recomputed_from_the_slots_by_one_grouping_pipeline()
    {
        var stages = CountSlots("wftestrun_1").Render(Args).Documents.ToList();

        Assert.Equal(
        [
            new BsonDocument("$match", new BsonDocument("run_id", "wftestrun_1")),
            new BsonDocument("$group", new BsonDocument
            {
                { "_id", new BsonDocument { { "s", "$status" }, { "v", "$verdict" } } },
                { "n", new BsonDocument("$sum", 1) },
            }),
        ], stages);
        var counts = ReadSlotCounts(
        [
            new BsonDocument { { "_id", new BsonDocument { { "s", "completed" }, { "v", "passed" } } }, { "n", 3 } },
            new BsonDocument { { "_id", new BsonDocument { { "s", "queued" }, { "v", BsonNull.Value } } }, { "n", 2 } },
            new BsonDocument { { "_id", new BsonDocument("s", "error") }, { "n", 1 } },
        ]);
        Assert.Equal(new RunCounts(Queued: 2, Completed: 3, Error: 1, Passed: 3), counts);
    }

    // ---- queries ----------------------------------------------------------------------------------------------

    [Fact]
    public void The_run_list_filters_are_all_evaluated_by_the_server()
    {
        var query = new RunQuery("wf_1", "wfnodetest_1", "block_a", RunStatus.Running, RunStatus.Cancelled, "custom", T0, T0.AddDays(1));

        // Two conditions on one field make the driver spell the conjunction out; the server reads both forms alike.
        Assert.Equal(new BsonDocument("$and", new BsonArray
        {
            new BsonDocument("organization_id", "org_a"),
            new BsonDocument("workflow_id", "wf_1"),
            new BsonDocument("test_id", "wfnodetest_1"),
            new BsonDocument("target_block_id", "block_a"),
            new BsonDocument("status", "running"),
            new BsonDocument("status", new BsonDocument("$ne", "cancelled")),
            new BsonDocument("trigger_type", "custom"),
            new BsonDocument("created_at", new BsonDocument("$gte", Date(T0))),
            new BsonDocument("created_at", new BsonDocument("$lte", Date(T0.AddDays(1)))),
        }), Render(RunList("org_a", query)));
        Assert.Equal(new BsonDocument { { "organization_id", "org_a" }, { "status", new BsonDocument("$ne", "cancelled") } },
            Render(RunList("org_a", new RunQuery(ExcludeStatus: RunStatus.Cancelled))));
        Assert.Equal(new BsonDocument("organization_id", "org_a"), Render(RunList("org_a", new RunQuery())));
    }

    [Fact]
    public void User_values_that_look_like_operators_stay_values()
    {
        var filter = Render(RunList("$where", new RunQuery(WorkflowId: "$gt", TriggerType: "a.b", TargetBlockId: "")));

        Assert.Equal(new BsonDocument
        {
            { "organization_id", "$where" },
            { "workflow_id", "$gt" },
            { "target_block_id", "" },
            { "trigger_type", "a.b" },
        }, filter);
        Assert.All(filter.Names, name => Assert.DoesNotContain(name, new[] { "$where", "$gt", "a.b", "" }));
        Assert.Equal(new BsonDocument { { "_id", "x" }, { "organization_id", "$ne" } }, Render(Owned("$ne", "x")));
    }

    [Fact]
    public void Another_organizations_ids_read_as_absent_because_every_read_filters_by_organization()
    {
        Assert.Equal(new BsonDocument { { "_id", "wf_1" }, { "organization_id", "org_a" } }, Render(Owned("org_a", "wf_1")));
        Assert.Equal(new BsonDocument { { "run_id", "r" }, { "test_id", "t" }, { "organization_id", "org_a" } }, Render(ResultByTest("org_a", "r", "t")));
        Assert.Equal(new BsonDocument { { "run_id", "r" }, { "organization_id", "org_a" }, { "status", "completed" }, { "verdict", "passed" } },
            Render(ResultList("org_a", new ResultQuery("r", SlotStatus.Completed, Verdict.Passed))));
        Assert.Equal(new BsonDocument
            {
                { "run_id", "r" }, { "organization_id", "org_a" },
                { "status", new BsonDocument("$nin", new BsonArray { "pending", "queued", "running" }) },
            },
            Render(ResultList("org_a", new ResultQuery("r", Ended: true))));
        Assert.Equal(new BsonDocument
            {
                { "run_id", "r" }, { "organization_id", "org_a" },
                { "status", new BsonDocument("$in", new BsonArray { "pending", "queued", "running" }) },
            },
            Render(ResultList("org_a", new ResultQuery("r", Ended: false))));
        Assert.Equal(new BsonDocument { { "organization_id", "org_a" }, { "workflow_id", "wf_1" }, { "target_block_id", "block_a" } },
            Render(TestsOf("org_a", "wf_1", "block_a")));
        Assert.Equal(new BsonDocument { { "_id", "wf_1" }, { "organization_id", "org_a" }, { "draft_number", 3 } }, Render(WorkflowAtDraft("org_a", "wf_1", 3)));
    }

    [Fact]
    public void The_latest_result_is_the_newest_completed_one_by_completion_time()
    {
        var (filter, sort) = LatestResult("org_a", "wfnodetest_1", Verdict.Failed);

        Assert.Equal(new BsonDocument { { "test_id", "wfnodetest_1" }, { "status", "completed" }, { "organization_id", "org_a" }, { "verdict", "failed" } }, Render(filter));
        Assert.Equal(new BsonDocument { { "completed_at", -1 }, { "_id", -1 } }, sort.Render(Args));
    }

    [Theory]
    [InlineData(SortOrder.Desc, null, null, null, -1)]
    [InlineData(SortOrder.Desc, "wf_5", null, "$lt", -1)]
    [InlineData(SortOrder.Asc, "wf_5", null, "$gt", 1)]
    [InlineData(SortOrder.Desc, null, "wf_5", "$gt", 1)] // a before cursor walks backwards: nearest items first
    [InlineData(SortOrder.Asc, null, "wf_5", "$lt", -1)]
    public void Pages_walk_the_id_index_from_the_cursor(SortOrder order, string? after, string? before, string? op, int direction)
    {
        var (filter, sort, take) = PageQuery(WorkflowsOf("org_a"), new PageRequest(Limit: 500, Before: before, After: after, Order: order));

        var expected = new BsonDocument("organization_id", "org_a");
        if (op is not null)
            expected["_id"] = new BsonDocument(op, after ?? before);
        Assert.Equal(expected, Render(filter));
        Assert.Equal(new BsonDocument("_id", direction), sort.Render(Args));
        Assert.Equal(PageRequest.MaxLimit + 1, take);
    }

    [Fact]
    public void Workflow_replacement_never_moves_tests_changed_at_back()
    {
        var workflow = Documents.Workflow() with { DraftNumber = 4, TestsChangedAt = T0 };

        var update = Render(ReplaceWorkflow(workflow));

        Assert.Equal(["$set", "$max"], update.Names);
        Assert.Equal(["body", "draft_number"], update["$set"].AsBsonDocument.Names);
        Assert.Equal(new BsonDocument("tests_changed_at", Date(T0)), update["$max"]);
        Assert.Equal(new BsonDocument("$max", new BsonDocument("tests_changed_at", Date(T0))), Render(MarkTestsChanged(T0)));
    }

    [Fact]
    public void An_idempotency_key_is_free_again_only_when_its_record_is_older_than_24_hours()
    {
        Assert.Equal(new BsonDocument
        {
            { "_id", new BsonDocument { { "organization_id", "org|a" }, { "key", "k" } } },
            { "created_at", new BsonDocument("$lte", Date(T0.AddHours(-24))) },
        }, Render(ExpiredIdempotencyRecord("org|a", "k", T0)));
        Assert.NotEqual(MongoDocuments.IdempotencyId("a|b", "c"), MongoDocuments.IdempotencyId("a", "b|c"));
    }

    [Fact]
    public void An_api_key_is_looked_up_by_key_hash_or_by_the_hash_id_of_a_key_stored_before_key_ids()
    {
        Assert.Equal(new BsonDocument("$or", new BsonArray
        {
            new BsonDocument("key_hash", "$h.a"),
            new BsonDocument("_id", "$h.a"),
        }), Render(ApiKeyByHash("$h.a")));
        Assert.Equal(new BsonDocument("organization_id", "$org"), Render(ApiKeysOf("$org")));
        Assert.Equal(new BsonDocument(), Render(ApiKeysOf(null)));
    }

    // ---- indexes --------------------------------------------------------------------------------------------

    [Fact]
    public void The_indexes_of_design_6_exist()
    {
        var indexes = MongoSchema.Indexes(TimeSpan.FromHours(48));
        BsonDocument Keys(CreateIndexModel<BsonDocument> model) => model.Keys.Render(Args);

        Assert.Equal([MongoSchema.Workflows, MongoSchema.Tests, MongoSchema.Runs, MongoSchema.Results, MongoSchema.ApiKeys, MongoSchema.Files,
            MongoSchema.Webhooks, MongoSchema.WebhookDeliveries, MongoSchema.Idempotency], indexes.Keys);
        var runTest = Assert.Single(indexes[MongoSchema.Results], i => Keys(i) == new BsonDocument { { "run_id", 1 }, { "test_id", 1 } });
        Assert.True(runTest.Options.Unique);
        Assert.Contains(indexes[MongoSchema.Results], i => Keys(i) == new BsonDocument { { "run_id", 1 }, { "status", 1 } });
        Assert.Contains(indexes[MongoSchema.Runs], i => Keys(i) == new BsonDocument { { "organization_id", 1 }, { "workflow_id", 1 }, { "created_at", 1 } });
        var keyHash = Assert.Single(indexes[MongoSchema.ApiKeys], i => Keys(i) == new BsonDocument("key_hash", 1));
        Assert.True(keyHash.Options.Unique);
        Assert.True(keyHash.Options.Sparse);
        Assert.Contains(indexes[MongoSchema.ApiKeys], i => Keys(i) == new BsonDocument { { "organization_id", 1 }, { "_id", 1 } });
        var ttl = Assert.Single(indexes[MongoSchema.Idempotency]);
        Assert.Equal(new BsonDocument("expires_at", 1), Keys(ttl));
        Assert.Equal(TimeSpan.Zero, ttl.Options.ExpireAfter);
        Assert.Empty(MongoSchema.Indexes(null)[MongoSchema.Idempotency]);
    }
}
