using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Storage.Tests;

/// <summary>
/// The contract every store provider must honour (DESIGN §5, §6), written once. A provider subclasses it and
/// says how to open its stores on storage of its own for each test (xunit creates one instance per test),
/// how to close them (keeping the data) and how to delete the storage afterwards.
/// The facts live in the partial files next to this one, one per topic.
/// </summary>
public abstract partial class RunStoreContract : IAsyncLifetime
{
    protected const string OrgA = "org_alpha";
    protected const string OrgB = "org_beta";
    protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    protected static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    protected StoreSet Stores { get; private set; } = null!;
    protected IWorkflowStore Workflows => Stores.Workflows;
    protected ITestStore Tests => Stores.Tests;
    protected IRunStore Runs => Stores.Runs;
    protected IIdempotencyStore Idempotency => Stores.Idempotency;

    /// <summary>Opens the stores on this test's own storage; called again after <see cref="CloseAsync"/> it must see the same data.</summary>
    protected abstract Task<StoreSet> OpenAsync();

    /// <summary>Releases connections and files, keeping the data.</summary>
    protected abstract Task CloseAsync();

    /// <summary>Deletes this test's storage.</summary>
    protected abstract Task DeleteStorageAsync();

    public async Task InitializeAsync() => Stores = await OpenAsync();

    public async Task DisposeAsync()
    {
        await CloseAsync();
        await DeleteStorageAsync();
    }

    /// <summary>Closes the stores and opens them again on the same storage.</summary>
    protected async Task ReopenAsync()
    {
        await CloseAsync();
        Stores = await OpenAsync();
    }

    // ---- builders -------------------------------------------------------------------------------------------

    protected static Block FunctionBlock(string id) =>
        new(id, BlockTypes.Function, $"block {id}", new JsonObject { ["code"] = $"function main(input) {{ return '{id}'; }}" });

    protected static Workflow NewWorkflow(string org = OrgA, DateTimeOffset? at = null, params Block[] blocks) => new()
    {
        Id = ResourceIds.New(ResourceIds.Workflow, at ?? T0),
        OrganizationId = org,
        Name = $"workflow at {at ?? T0:O}",
        Blocks = blocks.Length > 0 ? blocks : [FunctionBlock("block_a"), FunctionBlock("block_b")],
        CreatedAt = at ?? T0,
        UpdatedAt = at ?? T0,
    };

    protected static Assertion ExistsAssertion() =>
        new(ResourceIds.New(ResourceIds.Assertion, T0), new AssertionTarget("output-json-0", "value"), new JsonObject { ["kind"] = "exists" }, "label");

    protected static WorkflowTest NewTest(Workflow workflow, string blockId = "block_a", DateTimeOffset? at = null, JsonNode? data = null) => new()
    {
        Id = ResourceIds.New(ResourceIds.Test, at ?? T0),
        OrganizationId = workflow.OrganizationId,
        WorkflowId = workflow.Id,
        TargetBlockId = blockId,
        Name = "a test",
        Source = new JsonObject { ["type"] = "manual" },
        HandleInputs = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = data ?? JsonValue.Create(1) } },
        Assertion = ExistsAssertion(),
        CreatedAt = at ?? T0,
        UpdatedAt = at ?? T0,
    };

    protected static TestRun NewPendingRun(RunPlan plan, string org = OrgA, DateTimeOffset? at = null, RunScopeSpec? scope = null, string trigger = RunDocuments.ApiTrigger) =>
        RunDocuments.Pending(ResourceIds.New(ResourceIds.Run, at ?? T0), org, plan, scope ?? RunScopeSpec.WholeWorkflow, trigger, at ?? T0);

    /// <summary>A workflow with <paramref name="testCount"/> tests (in memory only), planned as a whole-workflow run.</summary>
    protected static (Workflow Workflow, IReadOnlyList<WorkflowTest> Tests, RunPlan Plan) Planned(int testCount, string org = OrgA, DateTimeOffset? at = null)
    {
        var workflow = NewWorkflow(org, at);
        var tests = Enumerable.Range(0, testCount)
            .Select(i => NewTest(workflow, i % 2 == 0 ? "block_a" : "block_b", (at ?? T0).AddMilliseconds(i), JsonValue.Create(i)))
            .ToList();
        return (workflow, tests, RunPlanner.Plan(workflow, tests, RunScopeSpec.WholeWorkflow));
    }

    /// <summary>Inserts a pending run of <paramref name="testCount"/> tests and queues its slots at <paramref name="at"/>.</summary>
    protected async Task<(TestRun Run, IReadOnlyList<TestResult> Slots)> QueueRunAsync(int testCount, string org = OrgA, DateTimeOffset? at = null)
    {
        var (_, _, plan) = Planned(testCount, org, at);
        var run = NewPendingRun(plan, org, at);
        await Runs.InsertRunAsync(run);
        var slots = ResultSlots.Create(run, plan, at ?? T0, Deadline).ToList();
        var queued = await Runs.QueuePlannedRunAsync(run.Id, slots, at ?? T0);
        Assert.NotNull(queued);
        return (queued, slots);
    }

    protected static SlotStarted Started(TestResult slot, DateTimeOffset? at = null) => new(slot.RunId, slot.Id, at ?? T0.AddSeconds(1), "worker-1");

    protected static SlotFinished Finished(TestResult slot, Verdict? verdict = Verdict.Passed, SlotStatus outcome = SlotStatus.Completed, DateTimeOffset? at = null, JsonObject? outputs = null) =>
        new(slot.RunId, slot.Id, at ?? T0.AddSeconds(2), outcome, outcome == SlotStatus.Completed ? verdict : null, null,
            outputs ?? new JsonObject { ["output-json-0"] = new JsonObject { ["type"] = "json", ["data"] = new JsonObject { ["value"] = slot.TestId } } },
            new AssertionResult
            {
                AssertionId = slot.Assertion.Id,
                ConditionKind = slot.Assertion.Kind,
                Outcome = verdict switch { Verdict.Passed => AssertionOutcome.Passed, Verdict.Failed => AssertionOutcome.Failed, _ => AssertionOutcome.Blocked },
            },
            [],
            outcome == SlotStatus.Error ? new SlotError(RunErrorCodes.DeadlineExceeded, "The test did not finish in time.") : null,
            "worker-1",
            EngineInfo.Version);

    /// <summary>The sweeper giving up on a slot nobody finished (no worker: it never replaces another ending).</summary>
    protected static SlotFinished WorkerLost(TestResult slot, DateTimeOffset? at = null) =>
        SlotFinished.Failed(slot.RunId, slot.Id, at ?? T0.AddMinutes(5), RunErrorCodes.WorkerLost, "No worker finished this test in time.");

    // ---- reads and checks -----------------------------------------------------------------------------------

    protected async Task<TestRun> RunAsync(TestRun run) =>
        await Runs.GetRunAsync(run.OrganizationId, run.Id) ?? throw new Xunit.Sdk.XunitException($"run {run.Id} not found");

    /// <summary>Every slot of a run, paging through the results list.</summary>
    protected async Task<List<TestResult>> AllSlotsAsync(TestRun run)
    {
        var all = new List<TestResult>();
        string? after = null;
        do
        {
            var page = await Runs.ListResultsAsync(run.OrganizationId, new ResultQuery(run.Id), new PageRequest(100, After: after, Order: SortOrder.Asc));
            all.AddRange(page.Data);
            after = page.After;
        } while (after is not null);
        return all;
    }

    protected static RunCounts CountsOf(IEnumerable<TestResult> slots) => RunCounts.FromSlots(slots.Select(s => (s.Status, s.Verdict)));

    /// <summary>DESIGN §3.4 invariants plus "what the API shows equals the slots, exactly" (§5 rule 2).</summary>
    protected async Task AssertCountsEqualSlotsAsync(TestRun run)
    {
        var stored = await RunAsync(run);
        var slots = await AllSlotsAsync(stored);
        Assert.Equal(CountsOf(slots), stored.Counts);
        Assert.Equal(stored.TotalTests, stored.Counts.Total);
        Assert.Equal(stored.Counts.Completed, stored.Counts.Passed + stored.Counts.Failed + stored.Counts.Blocked);
    }

    /// <summary>Runs <paramref name="work"/> on <paramref name="parallelism"/> thread-pool tasks released together.</summary>
    protected static async Task<T[]> InParallelAsync<T>(int parallelism, Func<int, Task<T>> work)
    {
        using var gate = new ManualResetEventSlim(false);
        var tasks = Enumerable.Range(0, parallelism).Select(i => Task.Run(async () =>
        {
            gate.Wait();
            return await work(i);
        })).ToArray();
        gate.Set();
        return await Task.WhenAll(tasks);
    }

    protected static ConcurrentQueue<T> QueueOf<T>(IEnumerable<T> items) => new(items);
}
