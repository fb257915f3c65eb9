using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Limits;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Storage.Tests;

/// <summary>
/// The limits of <see cref="ServiceLimits"/> where data is stored: a document over <see cref="ServiceLimits.MaxStoredDocumentBytes"/>
/// is refused with <see cref="DocumentTooLargeException"/> before anything of its write lands, and JSON nested
/// <see cref="ServiceLimits.InternalJsonDepth"/> levels (minus the document's own) is written and read back everywhere.
/// </summary>
public abstract partial class RunStoreContract
{
    /// <summary>A string one mebibyte over the limit, so every document holding it is too large whatever surrounds it.</summary>
    private static string OverTheLimit() => new('x', ServiceLimits.MaxStoredDocumentBytes + 1024 * 1024);

    private static JsonObject JsonData(JsonNode? data) => new() { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = data } };

    private static JsonObject Outputs(JsonNode? data) => new() { ["output-json-0"] = new JsonObject { ["type"] = "json", ["data"] = data } };

    /// <summary>Objects and arrays alternating, <paramref name="depth"/> containers deep, around one string.</summary>
    private static JsonNode Nested(int depth)
    {
        JsonNode node = JsonValue.Create("bottom");
        for (var level = depth; level > 0; level--)
            node = level % 2 == 0 ? new JsonArray(node) : new JsonObject { [$"level{level}"] = node };
        return node;
    }

    private static void AssertRefused(DocumentTooLargeException refused, string kind, string documentId)
    {
        Assert.Equal(kind, refused.Kind);
        Assert.Equal(documentId, refused.DocumentId);
        Assert.Equal(ServiceLimits.MaxStoredDocumentBytes, refused.LimitBytes);
        Assert.True(refused.SizeBytes > ServiceLimits.MaxStoredDocumentBytes + 1024L * 1024, $"measured {refused.SizeBytes} bytes");
        Assert.Contains(documentId, refused.Message);
        Assert.Contains("MaxStoredDocumentBytes", refused.Message);
    }

    [Fact]
    public async Task A_batch_with_one_result_over_the_limit_is_refused_naming_that_result_and_writes_nothing()
    {
        var (mine, mySlots) = await QueueRunAsync(3);
        var (theirs, theirSlots) = await QueueRunAsync(2, OrgB, T0.AddMinutes(1));
        var oversized = Finished(mySlots[2], outputs: Outputs(OverTheLimit()));
        SlotEvent[] batch = [Started(mySlots[0]), Finished(mySlots[1]), oversized, Finished(theirSlots[0]), Started(theirSlots[1])];

        var refused = await Assert.ThrowsAsync<DocumentTooLargeException>(() => Runs.ApplySlotEventsAsync(batch, T0.AddSeconds(30)));

        AssertRefused(refused, StoredDocumentKind.Result, mySlots[2].Id);
        foreach (var (run, total) in new[] { (mine, 3), (theirs, 2) })
        {
            var stored = await RunAsync(run);
            Assert.Equal(RunStatus.Queued, stored.Status);
            Assert.Equal(RunCounts.AllQueued(total), stored.Counts);
            Assert.Equal(run.LastProgressAt, stored.LastProgressAt);
            Assert.All(await AllSlotsAsync(run), slot =>
            {
                Assert.Equal(SlotStatus.Queued, slot.Status);
                Assert.Null(slot.HandleOutputs);
            });
        }

        // The store is unharmed: the rest of the batch is written as soon as it comes without the oversized result.
        await Runs.ApplySlotEventsAsync(batch.Where(e => e != oversized).ToList(), T0.AddSeconds(31));
        Assert.Equal(new RunCounts(Queued: 1, Running: 1, Completed: 1, Passed: 1), (await RunAsync(mine)).Counts);
        Assert.Equal(new RunCounts(Running: 1, Completed: 1, Passed: 1), (await RunAsync(theirs)).Counts);
        await AssertCountsEqualSlotsAsync(mine);
        await AssertCountsEqualSlotsAsync(theirs);
    }

    [Fact]
    public async Task A_result_just_under_the_limit_is_stored_whole()
    {
        var (run, slots) = await QueueRunAsync(1);
        var large = new string('y', ServiceLimits.MaxStoredDocumentBytes - 256 * 1024);

        await Runs.ApplySlotEventsAsync([Finished(slots[0], outputs: Outputs(large))], T0.AddSeconds(5));

        var stored = await Runs.GetResultAsync(OrgA, slots[0].Id);
        Assert.Equal(SlotStatus.Completed, stored!.Status);
        Assert.Equal(large.Length, stored.HandleOutputs!["output-json-0"]!["data"]!.GetValue<string>().Length);
        await AssertCountsEqualSlotsAsync(run);
    }

    [Fact]
    public async Task A_test_over_the_limit_is_refused_on_insert_and_on_replace_and_the_stored_one_kept()
    {
        var workflow = NewWorkflow();
        var oversized = NewTest(workflow, data: OverTheLimit());

        AssertRefused(await Assert.ThrowsAsync<DocumentTooLargeException>(() => Tests.InsertAsync(oversized)), StoredDocumentKind.Test, oversized.Id);
        Assert.Null(await Tests.GetAsync(OrgA, oversized.Id));

        var test = NewTest(workflow, at: T0.AddSeconds(1));
        await Tests.InsertAsync(test);
        AssertRefused(await Assert.ThrowsAsync<DocumentTooLargeException>(() => Tests.ReplaceAsync(test with { HandleInputs = JsonData(OverTheLimit()) })),
            StoredDocumentKind.Test, test.Id);
        Assert.Equal(test.HandleInputs.ToJsonString(), (await Tests.GetAsync(OrgA, test.Id))!.HandleInputs.ToJsonString());
    }

    [Fact]
    public async Task A_workflow_over_the_limit_is_refused_on_insert_and_on_replace_and_the_stored_draft_kept()
    {
        Block Oversized(string id) => FunctionBlock(id) with { Config = new JsonObject { ["code"] = OverTheLimit() } };
        var oversized = NewWorkflow(blocks: Oversized("block_a"));

        AssertRefused(await Assert.ThrowsAsync<DocumentTooLargeException>(() => Workflows.InsertAsync(oversized)), StoredDocumentKind.Workflow, oversized.Id);
        Assert.Null(await Workflows.GetAsync(OrgA, oversized.Id));

        var workflow = NewWorkflow(at: T0.AddSeconds(1));
        await Workflows.InsertAsync(workflow);
        var replacement = workflow with { Blocks = [Oversized("block_a")], DraftNumber = 2 };
        AssertRefused(await Assert.ThrowsAsync<DocumentTooLargeException>(() => Workflows.ReplaceAsync(replacement, expectedDraftNumber: 1)),
            StoredDocumentKind.Workflow, workflow.Id);
        var stored = await Workflows.GetAsync(OrgA, workflow.Id);
        Assert.Equal(1, stored!.DraftNumber);
        Assert.Equal(workflow.Blocks[0].Config.ToJsonString(), stored.Blocks[0].Config.ToJsonString());
    }

    [Fact]
    public async Task A_run_over_the_limit_is_refused_and_not_stored()
    {
        // A third-party CreateTestRun chooses its trigger type: nothing but the store bounds it.
        var (_, _, plan) = Planned(1);
        var run = NewPendingRun(plan, trigger: OverTheLimit());

        AssertRefused(await Assert.ThrowsAsync<DocumentTooLargeException>(() => Runs.InsertRunAsync(run)), StoredDocumentKind.Run, run.Id);

        Assert.Null(await Runs.GetRunAsync(OrgA, run.Id));
    }

    [Fact]
    public async Task Planning_a_slot_over_the_limit_is_refused_and_creates_none_of_its_chunk()
    {
        var workflow = NewWorkflow();
        var tests = new[] { NewTest(workflow), NewTest(workflow, at: T0.AddSeconds(1), data: OverTheLimit()), NewTest(workflow, at: T0.AddSeconds(2)) };
        var plan = RunPlanner.Plan(workflow, tests, RunScopeSpec.WholeWorkflow);
        var run = NewPendingRun(plan);
        await Runs.InsertRunAsync(run);
        var slots = ResultSlots.Create(run, plan, T0, Deadline).ToList();

        var refused = await Assert.ThrowsAsync<DocumentTooLargeException>(() => Runs.QueuePlannedRunAsync(run.Id, slots, T0));

        AssertRefused(refused, StoredDocumentKind.Result, slots.Single(s => s.TestId == tests[1].Id).Id);
        Assert.Empty(await AllSlotsAsync(run));
        Assert.Equal(RunStatus.Pending, (await RunAsync(run)).Status);
    }

    [Fact]
    public async Task An_idempotency_record_over_the_limit_is_refused_and_the_key_stays_free()
    {
        var record = new IdempotencyRecord(OrgA, "key-huge", "sha256:x", 201, null, OverTheLimit(), T0);

        var refused = await Assert.ThrowsAsync<DocumentTooLargeException>(() => Idempotency.TryInsertAsync(record));

        Assert.Equal(StoredDocumentKind.IdempotencyRecord, refused.Kind);
        Assert.Contains("key-huge", refused.DocumentId);
        Assert.Null(await Idempotency.GetAsync(OrgA, "key-huge"));
    }

    [Fact]
    public async Task User_json_100_levels_deep_is_written_and_read_back_by_every_read_and_list()
    {
        const int depth = 100;
        var deep = Nested(depth);
        var expected = deep.ToJsonString();
        var workflow = NewWorkflow(blocks: [FunctionBlock("block_a") with { Config = new JsonObject { ["code"] = "x", ["deep"] = Nested(depth) } }, FunctionBlock("block_b")]);
        await Workflows.InsertAsync(workflow);
        var test = NewTest(workflow, data: Nested(depth)) with
        {
            Assertion = ExistsAssertion() with { Condition = new JsonObject { ["kind"] = "equals", ["expected"] = Nested(depth) } },
        };
        await Tests.InsertAsync(test);

        Assert.Equal(expected, (await Workflows.GetAsync(OrgA, workflow.Id))!.Blocks[0].Config["deep"]!.ToJsonString());
        Assert.Equal(expected, (await Workflows.ListAsync(OrgA, new PageRequest())).Data.Single().Blocks[0].Config["deep"]!.ToJsonString());
        Assert.Equal(expected, (await Tests.GetAsync(OrgA, test.Id))!.HandleInputs["input-json-0"]!["data"]!.ToJsonString());
        Assert.Equal(expected, (await Tests.ListAsync(OrgA, workflow.Id, null, new PageRequest())).Data.Single().HandleInputs["input-json-0"]!["data"]!.ToJsonString());
        Assert.Equal(expected, (await Tests.ListAllAsync(OrgA, workflow.Id)).Single().Assertion.Condition["expected"]!.ToJsonString());

        var plan = RunPlanner.Plan(workflow, [test], RunScopeSpec.WholeWorkflow);
        var run = NewPendingRun(plan);
        await Runs.InsertRunAsync(run);
        var slot = ResultSlots.Create(run, plan, T0, Deadline).Single();
        await Runs.QueuePlannedRunAsync(run.Id, PlannedSlots.Of([slot]), T0);
        var finished = Finished(slot, Verdict.Failed, outputs: Outputs(Nested(depth))) with
        {
            AssertionResult = new AssertionResult
            {
                AssertionId = slot.Assertion.Id,
                ConditionKind = "equals",
                Outcome = AssertionOutcome.Failed,
                ActualValue = Nested(depth),
                ExpectedValue = Nested(depth),
            },
        };
        await Runs.ApplySlotEventsAsync([finished], T0.AddSeconds(1));

        var reads = new[]
        {
            await Runs.GetResultAsync(OrgA, slot.Id),
            await Runs.GetResultByTestAsync(OrgA, run.Id, test.Id),
            await Runs.FindLatestResultAsync(OrgA, test.Id, Verdict.Failed),
            (await AllSlotsAsync(run)).Single(),
        };
        Assert.All(reads, read =>
        {
            Assert.NotNull(read);
            Assert.Equal(expected, read.HandleInputs["input-json-0"]!["data"]!.ToJsonString());
            Assert.Equal(expected, read.BlockConfig["deep"]!.ToJsonString());
            Assert.Equal(expected, read.HandleOutputs!["output-json-0"]!["data"]!.ToJsonString());
            Assert.Equal(expected, read.AssertionResult!.ActualValue!.ToJsonString());
            Assert.Equal(expected, read.AssertionResult.ExpectedValue!.ToJsonString());
        });
    }
}
