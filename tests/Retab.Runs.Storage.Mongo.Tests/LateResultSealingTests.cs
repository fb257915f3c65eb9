using System.Text.Json.Nodes;
using MongoDB.Driver;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;
using Retab.Runs.Storage.Mongo.Tests.Infrastructure;

namespace Retab.Runs.Storage.Mongo.Tests;

/// <summary>
/// The seal that stands in for a transaction on MongoDB, at the exact moments of its race (over <see cref="MongoEmulator"/>).
/// A worker's late result for a <c>worker_lost</c> slot either lands before the ending run sealed its slots, and is then
/// in the counts the run ends with, or its guarded write loses to the seal, re-reads the sealed slot and changes nothing.
/// Either way the counts the run ended with (those <c>TestRunCompleted</c> announces) are its stored counts and its slots.
/// </summary>
public sealed class LateResultSealingTests : IDisposable
{
    private const string Org = "org_a";
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ResultsCollectionHook _hook;
    private readonly MongoContext _db;
    private readonly MongoRunStore _store;

    public LateResultSealingTests()
    {
        var (database, hook) = ResultsCollectionHook.Wrap(MongoEmulator.CreateDatabase());
        _hook = hook;
        _db = new MongoContext(database, new MongoOptions { Database = "emulated", IdempotencyRetention = null });
        _store = new MongoRunStore(_db);
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_late_result_whose_run_completes_between_its_read_and_its_write_changes_nothing()
    {
        var (run, slots) = await LostOneOfAsync(2);
        TestRun? completed = null;
        _hook.BeforeNext(nameof(IMongoCollection<object>.BulkWriteAsync), async () => completed = await _store.CompleteRunAsync(run.Id, T0.AddMinutes(7)));

        await _store.ApplySlotEventsAsync([LateResult(slots[0])], T0.AddMinutes(6));

        Assert.Equal(new RunCounts(Completed: 1, Error: 1, Passed: 1), completed?.Counts);
        await AssertStillLostAsync(slots[0]);
        await AssertEndedWithItsSlotsAsync(completed!);
    }

    [Fact]
    public async Task A_late_result_whose_run_is_cancelled_between_its_read_and_its_write_changes_nothing()
    {
        var (run, slots) = await LostOneOfAsync(3);
        TestRun? cancelled = null;
        _hook.BeforeNext(nameof(IMongoCollection<object>.BulkWriteAsync), async () => cancelled = await _store.CancelRunAsync(run.Id, "enough", T0.AddMinutes(7)));

        await _store.ApplySlotEventsAsync([LateResult(slots[0])], T0.AddMinutes(6));

        Assert.Equal(new RunCounts(Completed: 1, Error: 1, Cancelled: 1, Passed: 1), cancelled?.Counts);
        await AssertStillLostAsync(slots[0]);
        await AssertEndedWithItsSlotsAsync(cancelled!);
    }

    [Fact]
    public async Task A_late_result_landing_just_before_a_completing_run_seals_its_slots_is_in_its_final_counts()
    {
        var (run, slots) = await LostOneOfAsync(2);
        _hook.BeforeNext(nameof(IMongoCollection<object>.UpdateManyAsync), () => _store.ApplySlotEventsAsync([LateResult(slots[0])], T0.AddMinutes(6)));

        var completed = await _store.CompleteRunAsync(run.Id, T0.AddMinutes(7));

        Assert.Equal(new RunCounts(Completed: 2, Passed: 2), completed?.Counts);
        await AssertEndedWithItsSlotsAsync(completed!);
    }

    [Fact]
    public async Task A_late_result_landing_just_before_a_cancelled_run_ends_its_slots_is_in_its_final_counts()
    {
        var (run, slots) = await LostOneOfAsync(3);
        _hook.BeforeNext(nameof(IMongoCollection<object>.UpdateManyAsync), () => _store.ApplySlotEventsAsync([LateResult(slots[0])], T0.AddMinutes(6)));

        var cancelled = await _store.CancelRunAsync(run.Id, "enough", T0.AddMinutes(7));

        Assert.Equal(new RunCounts(Completed: 2, Cancelled: 1, Passed: 2), cancelled?.Counts);
        await AssertEndedWithItsSlotsAsync(cancelled!);
    }

    /// <summary>The counts a run ended with are its stored counts and equal its slots, also after the late result comes again.</summary>
    private async Task AssertEndedWithItsSlotsAsync(TestRun ended)
    {
        var slots = (await _store.ListResultsAsync(Org, new ResultQuery(ended.Id), new PageRequest(100))).Data;
        await _store.ApplySlotEventsAsync(slots.Select(s => (SlotEvent)LateResult(s)).ToList(), T0.AddMinutes(8));

        Assert.Equal(ended.Counts, (await _store.GetRunAsync(Org, ended.Id))!.Counts);
        slots = (await _store.ListResultsAsync(Org, new ResultQuery(ended.Id), new PageRequest(100))).Data;
        Assert.Equal(RunCounts.FromSlots(slots.Select(s => (s.Status, s.Verdict))), ended.Counts);
    }

    private async Task AssertStillLostAsync(TestResult lost)
    {
        var slot = (await _store.GetResultAsync(Org, lost.Id))!;
        Assert.Equal((SlotStatus.Error, RunErrorCodes.WorkerLost), (slot.Status, slot.Error?.Code));
        Assert.Null(slot.HandleOutputs);
    }

    /// <summary>A running run of <paramref name="testCount"/> tests whose first was lost by the sweeper and second passed.</summary>
    private async Task<(TestRun Run, IReadOnlyList<TestResult> Slots)> LostOneOfAsync(int testCount)
    {
        var workflow = new Workflow
        {
            Id = ResourceIds.New(ResourceIds.Workflow, T0),
            OrganizationId = Org,
            Name = "w",
            Blocks = [new Block("block_a", BlockTypes.Function, "a", new JsonObject { ["code"] = "function main(i) { return i; }" })],
            CreatedAt = T0,
            UpdatedAt = T0,
        };
        var tests = Enumerable.Range(0, testCount).Select(i => new WorkflowTest
        {
            Id = ResourceIds.New(ResourceIds.Test, T0.AddMilliseconds(i)),
            OrganizationId = Org,
            WorkflowId = workflow.Id,
            TargetBlockId = "block_a",
            Name = $"test {i}",
            Source = new JsonObject { ["type"] = "manual" },
            HandleInputs = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = i } },
            Assertion = new Assertion("assert_1", new AssertionTarget("output-json-0", null), new JsonObject { ["kind"] = "exists" }, null),
            CreatedAt = T0,
            UpdatedAt = T0,
        }).ToList();
        var plan = RunPlanner.Plan(workflow, tests, RunScopeSpec.WholeWorkflow);
        var run = RunDocuments.Pending(ResourceIds.New(ResourceIds.Run, T0), Org, plan, RunScopeSpec.WholeWorkflow, RunDocuments.ApiTrigger, T0);
        await _store.InsertRunAsync(run);
        var slots = ResultSlots.Create(run, plan, T0, TimeSpan.FromMinutes(5)).ToList();
        await _store.QueuePlannedRunAsync(run.Id, slots, T0);
        var lost = SlotFinished.Failed(run.Id, slots[0].Id, T0.AddMinutes(5), RunErrorCodes.WorkerLost, "No worker finished this test in time.");
        await _store.ApplySlotEventsAsync([LateResult(slots[1]), lost], T0.AddMinutes(5));
        return (run, slots);
    }

    private static SlotFinished LateResult(TestResult slot) =>
        new(slot.RunId, slot.Id, T0.AddMinutes(6), SlotStatus.Completed, Verdict.Passed, T0.AddSeconds(1),
            new JsonObject { ["output-json-0"] = new JsonObject { ["type"] = "json", ["data"] = "late" } },
            null, [], null, "worker-1", EngineInfo.Version);
}
