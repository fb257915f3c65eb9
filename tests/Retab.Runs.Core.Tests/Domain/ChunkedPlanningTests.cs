using System.Text.Json.Nodes;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Freshness;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Workflows;
using static Retab.Runs.Core.Tests.Domain.DomainBuilders;

namespace Retab.Runs.Core.Tests.Domain;

/// <summary>
/// Planning a run a chunk at a time gives what planning it whole gave: the same scope errors from counts
/// (<see cref="RunScopeCheck"/>), the same slots, and the same inputs fingerprint (<see cref="InputsFingerprintBuilder"/>),
/// which stored runs are compared with.
/// </summary>
public class ChunkedPlanningTests
{
    private static readonly Block BlockA = FunctionBlock("block_a");
    private static readonly Block BlockB = FunctionBlock("block_b");

    /// <summary>Tests with random inputs and random creation times (so random ids), in random order.</summary>
    private static (Workflow Workflow, List<WorkflowTest> Tests) RandomTests(Random random, int count)
    {
        var workflow = Workflow(BlockA, BlockB);
        var tests = Enumerable.Range(0, count)
            .Select(_ => Test(workflow, random.Next(2) == 0 ? BlockA.Id : BlockB.Id,
                random.Next(4) == 0 ? new JsonObject { ["text"] = $"é{random.Next()}\u001f" } : JsonValue.Create(random.Next(-1000, 1000)),
                T0.AddMilliseconds(random.Next(1_000_000))))
            .ToList();
        return (workflow, tests);
    }

    public static TheoryData<int, int> RandomSets => new() { { 1, 1 }, { 2, 2 }, { 3, 17 }, { 4, 250 }, { 5, ResultSlots.ChunkSize + 1 } };

    [Theory]
    [MemberData(nameof(RandomSets))]
    public void The_streamed_inputs_fingerprint_equals_the_one_shot_fingerprint_of_the_same_tests(int seed, int count)
    {
        var (workflow, tests) = RandomTests(new Random(seed), count);
        using var builder = new InputsFingerprintBuilder();
        foreach (var test in tests.OrderBy(t => t.Id, StringComparer.Ordinal))
            builder.Add(test.Id, test.HandleInputsFingerprint);

        Assert.Equal(RunPlanner.Plan(workflow, tests, RunScopeSpec.WholeWorkflow).InputsFingerprint, builder.Current());
        Assert.Equal(count, builder.Count);
    }

    [Fact]
    public void No_tests_fingerprint_like_the_one_shot_form_of_no_parts()
    {
        using var builder = new InputsFingerprintBuilder();
        Assert.Equal(CanonicalJson.FingerprintOf(), builder.Current());
    }

    [Fact]
    public void The_streamed_fingerprint_refuses_tests_out_of_id_order_or_twice()
    {
        using var builder = new InputsFingerprintBuilder();
        builder.Add("wfnodetest_b", "sha256:1");
        Assert.Throws<InvalidOperationException>(() => builder.Add("wfnodetest_a", "sha256:2"));
        Assert.Throws<InvalidOperationException>(() => builder.Add("wfnodetest_b", "sha256:2"));
    }

    public static TheoryData<RunScopeSpec, int> Scopes => new()
    {
        { RunScopeSpec.WholeWorkflow, 0 },
        { RunScopeSpec.WholeWorkflow, 5 },
        { new RunScopeSpec(RunScopeType.Block, BlockId: "block_b"), 0 },
        { new RunScopeSpec(RunScopeType.Block, BlockId: "block_b"), 6 },
        { new RunScopeSpec(RunScopeType.Block, BlockId: "block_gone"), 4 },
        { new RunScopeSpec(RunScopeType.Single, TestId: "wfnodetest_missing"), 3 },
        { new RunScopeSpec(RunScopeType.Rerun, RunId: "wftestrun_x", Only: RerunOnly.NotPassed), 0 },
        { new RunScopeSpec(RunScopeType.Rerun, RunId: "wftestrun_x"), 0 },
    };

    [Theory]
    [MemberData(nameof(Scopes))]
    public void Checking_a_scope_on_its_count_answers_what_planning_it_whole_answers(RunScopeSpec scope, int count)
    {
        var (workflow, tests) = RandomTests(new Random(count), count);
        var plan = RunPlanner.Plan(workflow, tests, scope, maxTests: 3, rerunSelection: new HashSet<string>());
        var selected = scope.Type switch
        {
            RunScopeType.Block => tests.Count(t => t.TargetBlockId == scope.BlockId),
            RunScopeType.Workflow => tests.Count,
            _ => 0,
        };

        Assert.Equal(plan.Error, RunScopeCheck.Check(workflow, scope, selected, maxTests: 3));
    }

    [Fact]
    public void A_scope_larger_than_the_limit_is_refused_with_its_block()
    {
        var error = RunScopeCheck.Check(Workflow(BlockA, BlockB), new RunScopeSpec(RunScopeType.Block, BlockId: BlockB.Id), 100_001, 100_000);

        Assert.Equal(new RunError(RunErrorCodes.TooManyTests,
            "The scope holds 100001 tests; a run may hold at most 100000 (setting Limits:MaxTestsPerRun). Run it block by block.", BlockB.Id), error);
        Assert.Null(RunScopeCheck.Check(Workflow(BlockA), RunScopeSpec.WholeWorkflow, 100_000, 100_000));
    }

    [Fact]
    public async Task Planned_slots_read_in_chunks_are_the_slots_and_the_fingerprint_of_the_whole_plan()
    {
        var (workflow, tests) = RandomTests(new Random(7), 2 * ResultSlots.ChunkSize + 3);
        var plan = RunPlanner.Plan(workflow, tests.OrderBy(t => t.Id, StringComparer.Ordinal).ToList(), RunScopeSpec.WholeWorkflow);
        var run = PendingRun(plan);
        var chunks = plan.Tests.Chunk(ResultSlots.ChunkSize).Select(chunk => (IReadOnlyList<WorkflowTest>)chunk).ToAsyncEnumerable();
        var planned = PlannedSlots.Of(run, workflow, chunks, T0, TimeSpan.FromMinutes(1));

        Assert.Throws<InvalidOperationException>(() => planned.InputsFingerprint);
        var read = new List<TestResult>();
        await foreach (var chunk in planned.ReadChunksAsync())
            read.AddRange(chunk);

        Assert.Equal(ResultSlots.Create(run, plan, T0, TimeSpan.FromMinutes(1)).Select(s => s.Id), read.Select(s => s.Id));
        Assert.Equal(plan.InputsFingerprint, planned.InputsFingerprint);
        Assert.Equal(plan.Tests.Count, planned.Count);
        Assert.Null(PlannedSlots.Of(read).InputsFingerprint);
    }

    [Fact]
    public void A_pending_run_is_not_stale_for_want_of_an_inputs_fingerprint()
    {
        var workflow = Workflow(BlockA);
        var counted = new CountedScope(workflow, RunScopeSpec.WholeWorkflow, 2, null, null);
        var pending = RunDocuments.Pending("wftestrun_p", Org, counted, RunDocuments.ApiTrigger, T0);

        var report = FreshnessRules.ForRun(pending, workflow.DraftFingerprint, "sha256:whatever-the-tests-hash-to-now");

        Assert.Equal("", pending.InputsFingerprint);
        Assert.Equal(2, pending.TotalTests);
        Assert.Equal(FreshnessStatus.Fresh, report.Status);
        Assert.Null(report.InputFingerprint);
        Assert.Contains(FreshnessRules.InputsChanged, FreshnessRules.ForRun(pending with { Status = RunStatus.Queued, InputsFingerprint = "sha256:then" }, workflow.DraftFingerprint, "sha256:now").Reasons);
    }
}
