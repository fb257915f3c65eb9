using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Storage.Tests;

/// <summary>
/// The whole store contract on a LiteDB file whose slots were planned before the state/snapshot split (whole slots, the
/// old shape), with the current store reading, moving, requeueing, ending and listing them.
/// </summary>
public sealed class LiteDbOldLayoutRunStoreContractTests : RunStoreContract
{
    private readonly TempDatabaseFile _file = new();
    private LiteDbContext? _db;

    private LiteDbContext Db => _db ?? throw new InvalidOperationException("The store is closed.");

    protected override Task<StoreSet> OpenAsync()
    {
        _db = new LiteDbContext(_file.Path);
        return Task.FromResult(new StoreSet(
            new LiteDbWorkflowStore(_db),
            new LiteDbTestStore(_db),
            new OldLayoutPlannedRunStore(_db, new LiteDbRunStore(_db)),
            new LiteDbIdempotencyStore(_db)));
    }

    protected override Task CloseAsync()
    {
        _db?.Dispose();
        _db = null;
        return Task.CompletedTask;
    }

    protected override Task DeleteStorageAsync() => _file.Delete();

    [Fact]
    public async Task An_old_slot_is_read_whole_and_split_when_it_first_moves_keeping_its_snapshot()
    {
        var (run, slots) = await QueueRunAsync(3);
        Assert.All(slots, slot => Assert.True(LiteDbOldLayoutSlots.HoldsSnapshot(Db.Results.FindById(slot.Id))));
        Assert.Equal(0, Db.Snapshots.Count());

        await Runs.ApplySlotEventsAsync([Started(slots[0]), Finished(slots[0])], T0.AddSeconds(3));
        await ReopenAsync();

        var moved = Db.Results.FindById(slots[0].Id);
        Assert.False(LiteDbOldLayoutSlots.HoldsSnapshot(moved));
        Assert.NotNull(Db.Snapshots.FindById(slots[0].Id));
        Assert.True(LiteDbOldLayoutSlots.HoldsSnapshot(Db.Results.FindById(slots[1].Id)), "a slot that did not move stays as it was");
        foreach (var (slot, status) in new[] { (slots[0], SlotStatus.Completed), (slots[1], SlotStatus.Queued) })
        {
            var read = await Runs.GetResultAsync(OrgA, slot.Id);
            Assert.NotNull(read);
            Assert.Equal(status, read.Status);
            AssertSameSnapshot(slot, read);
        }
        await AssertCountsEqualSlotsAsync(run);
    }

    [Fact]
    public async Task Requeueing_and_cancelling_old_slots_keeps_their_snapshots_for_the_workers()
    {
        var (run, slots) = await QueueRunAsync(2);

        var requeued = await Runs.RequeueSlotAsync(slots[0].Id, 1, T0.AddMinutes(10));
        Assert.NotNull(requeued);
        AssertSameSnapshot(slots[0], requeued);
        Assert.NotNull(await Runs.CancelRunAsync(run.Id, "enough", T0.AddMinutes(1)));

        foreach (var slot in await AllSlotsAsync(run))
        {
            Assert.Equal(SlotStatus.Cancelled, slot.Status);
            AssertSameSnapshot(slots.Single(s => s.Id == slot.Id), slot);
        }
        Assert.Equal(2, Db.Snapshots.Count());
    }

    internal static void AssertSameSnapshot(TestResult expected, TestResult actual)
    {
        Assert.Equal(expected.BlockConfig.ToJsonString(), actual.BlockConfig.ToJsonString());
        Assert.Equal(expected.HandleInputs.ToJsonString(), actual.HandleInputs.ToJsonString());
        Assert.Equal(expected.Assertion.Id, actual.Assertion.Id);
        Assert.Equal(expected.Assertion.Condition.ToJsonString(), actual.Assertion.Condition.ToJsonString());
        Assert.Equal(expected.Fingerprints, actual.Fingerprints);
    }
}

/// <summary>The split as the store writes it now: a slot's snapshot once, at planning; a move rewrites only the state.</summary>
public sealed class LiteDbSlotSplitTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDatabaseFile _file = new();
    private readonly LiteDbContext _db;

    public LiteDbSlotSplitTests() => _db = new LiteDbContext(_file.Path);

    [Fact]
    public async Task A_move_rewrites_the_state_and_leaves_the_snapshot_as_planned()
    {
        var store = new LiteDbRunStore(_db);
        var (run, slots) = await PlanAsync(store, 2);
        var planned = _db.Snapshots.FindById(slots[0].Id)["body"].AsString;
        var stateBefore = _db.Results.FindById(slots[0].Id);
        Assert.False(LiteDbOldLayoutSlots.HoldsSnapshot(stateBefore));
        Assert.Contains("input-json-0", planned);

        var finished = new SlotFinished(run.Id, slots[0].Id, T0.AddSeconds(2), SlotStatus.Completed, Verdict.Passed, null,
            new System.Text.Json.Nodes.JsonObject { ["output-json-0"] = 1 }, null, [], null, "worker-1", "engine");
        await store.ApplySlotEventsAsync([finished], T0.AddSeconds(2));

        var stateAfter = _db.Results.FindById(slots[0].Id);
        Assert.Equal(nameof(SlotStatus.Completed), stateAfter["status"].AsString);
        Assert.Equal(planned, _db.Snapshots.FindById(slots[0].Id)["body"].AsString);
        Assert.True(stateAfter["sb"].AsInt64 > planned.Length, "the state knows its snapshot's stored size");
        var read = await store.GetResultAsync(run.OrganizationId, slots[0].Id);
        Assert.NotNull(read);
        LiteDbOldLayoutRunStoreContractTests.AssertSameSnapshot(slots[0], read);
        Assert.Equal(1, read.HandleOutputs!["output-json-0"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_state_is_a_fraction_of_the_whole_slot()
    {
        var store = new LiteDbRunStore(_db);
        var (_, slots) = await PlanAsync(store, 1);
        var state = _db.Results.FindById(slots[0].Id)["body"].AsString.Length;
        var whole = LiteDbOldLayoutSlots.Document(slots[0])["body"].AsString.Length;
        Assert.True(state * 2 < whole, $"state body {state} chars, whole slot {whole}");
    }

    public void Dispose()
    {
        _db.Dispose();
        _file.Delete().GetAwaiter().GetResult();
    }

    /// <summary>A run of <paramref name="count"/> tests whose inputs and code weigh what a real slot's do (about 2 KB).</summary>
    private static async Task<(TestRun Run, IReadOnlyList<TestResult> Slots)> PlanAsync(LiteDbRunStore store, int count)
    {
        var workflow = new Core.Workflows.Workflow
        {
            Id = ResourceIds.New(ResourceIds.Workflow, T0),
            OrganizationId = "org_split",
            Name = "split",
            Blocks = [new Core.Workflows.Block("block_a", Core.Workflows.BlockTypes.Function, "a",
                new System.Text.Json.Nodes.JsonObject { ["code"] = "function main(input) { " + new string(' ', 1500) + "return input; }" })],
            CreatedAt = T0,
            UpdatedAt = T0,
        };
        var tests = Enumerable.Range(0, count).Select(i => new Core.Tests.WorkflowTest
        {
            Id = ResourceIds.New(ResourceIds.Test, T0.AddMilliseconds(i)),
            OrganizationId = workflow.OrganizationId,
            WorkflowId = workflow.Id,
            TargetBlockId = "block_a",
            Name = $"test {i}",
            Source = new System.Text.Json.Nodes.JsonObject { ["type"] = "manual" },
            HandleInputs = new System.Text.Json.Nodes.JsonObject { ["input-json-0"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "json", ["data"] = i } },
            Assertion = new Core.Assertions.Assertion(ResourceIds.New(ResourceIds.Assertion, T0),
                new Core.Assertions.AssertionTarget("output-json-0", "value"), new System.Text.Json.Nodes.JsonObject { ["kind"] = "exists" }, "label"),
            CreatedAt = T0,
            UpdatedAt = T0,
        }).ToList();
        var plan = RunPlanner.Plan(workflow, tests, RunScopeSpec.WholeWorkflow);
        var run = RunDocuments.Pending(ResourceIds.New(ResourceIds.Run, T0), workflow.OrganizationId, plan, RunScopeSpec.WholeWorkflow, RunDocuments.ApiTrigger, T0);
        await store.InsertRunAsync(run);
        var slots = ResultSlots.Create(run, plan, T0, TimeSpan.FromMinutes(5)).ToList();
        Assert.NotNull(await store.QueuePlannedRunAsync(run.Id, PlannedSlots.Of(slots), T0));
        return (run, slots);
    }
}
