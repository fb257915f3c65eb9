using System.Text.Json.Nodes;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Storage.Tests;

/// <summary>
/// Planning without holding a scope: the counts and id reads the gateway checks a scope on, and a run planned a chunk
/// at a time by <see cref="RunPlanLoader"/>, whose inputs fingerprint must equal the one-shot <see cref="RunPlan"/>'s.
/// </summary>
public abstract partial class RunStoreContract
{
    private async Task<(Workflow Workflow, List<WorkflowTest> Tests)> SavedTestsAsync(int count, string org = OrgA)
    {
        var workflow = NewWorkflow(org);
        await Workflows.InsertAsync(workflow);
        // Created out of id order, so an id-ordered read cannot pass by returning insertion order.
        var tests = Enumerable.Range(0, count)
            .Select(i => NewTest(workflow, i % 3 == 0 ? "block_b" : "block_a", T0.AddMilliseconds(i), JsonValue.Create(i)))
            .ToList();
        foreach (var test in tests.OrderByDescending(t => t.Id, StringComparer.Ordinal))
            await Tests.InsertAsync(test);
        return (workflow, tests);
    }

    [Fact]
    public async Task Tests_are_counted_per_workflow_and_block_of_the_organization_only()
    {
        var (workflow, tests) = await SavedTestsAsync(10);
        await SavedTestsAsync(4, OrgB);
        await Tests.InsertAsync(NewTest(NewWorkflow(at: T0.AddSeconds(1))));

        Assert.Equal(10, await Tests.CountAsync(OrgA, workflow.Id, null));
        Assert.Equal(tests.Count(t => t.TargetBlockId == "block_b"), await Tests.CountAsync(OrgA, workflow.Id, "block_b"));
        Assert.Equal(0, await Tests.CountAsync(OrgA, workflow.Id, "block_gone"));
        Assert.Equal(0, await Tests.CountAsync(OrgB, workflow.Id, null));
        Assert.Equal(0, await Tests.CountAsync(OrgA, "wfnode_missing", null));
    }

    [Fact]
    public async Task Existing_tests_are_counted_among_ids_skipping_unknown_and_other_workflows_and_organizations()
    {
        var (workflow, tests) = await SavedTestsAsync(5);
        var (_, theirs) = await SavedTestsAsync(2, OrgB);
        await Tests.DeleteAsync(OrgA, tests[4].Id);

        var ids = tests.Select(t => t.Id).Concat([theirs[0].Id, "wfnodetest_missing", tests[0].Id]).ToList();

        Assert.Equal(4, await Tests.CountExistingAsync(OrgA, workflow.Id, ids));
        Assert.Equal(0, await Tests.CountExistingAsync(OrgA, workflow.Id, []));
        Assert.Equal(0, await Tests.CountExistingAsync(OrgB, workflow.Id, ids));
    }

    [Fact]
    public async Task Test_ids_are_listed_in_ordinal_order_per_workflow_and_block()
    {
        var (workflow, tests) = await SavedTestsAsync(25);
        await SavedTestsAsync(3, OrgB);

        Assert.Equal(tests.Select(t => t.Id).Order(StringComparer.Ordinal), await Tests.ListIdsAsync(OrgA, workflow.Id, null));
        Assert.Equal(tests.Where(t => t.TargetBlockId == "block_b").Select(t => t.Id).Order(StringComparer.Ordinal),
            await Tests.ListIdsAsync(OrgA, workflow.Id, "block_b"));
        Assert.Empty(await Tests.ListIdsAsync(OrgB, workflow.Id, null));
    }

    [Fact]
    public async Task Tests_are_read_by_id_in_ordinal_order_skipping_unknown_and_foreign_ids()
    {
        var (workflow, tests) = await SavedTestsAsync(6);
        var (_, theirs) = await SavedTestsAsync(1, OrgB);
        var wanted = new[] { tests[5].Id, theirs[0].Id, tests[1].Id, "wfnodetest_missing", tests[3].Id };

        var read = await Tests.GetManyAsync(OrgA, workflow.Id, wanted);

        Assert.Equal(new[] { tests[1], tests[3], tests[5] }.Select(t => t.Id).Order(StringComparer.Ordinal), read.Select(t => t.Id));
        Assert.Equal(tests[3].HandleInputsFingerprint, read.Single(t => t.Id == tests[3].Id).HandleInputsFingerprint);
        Assert.Empty(await Tests.GetManyAsync(OrgA, workflow.Id, []));
    }

    [Fact]
    public async Task A_run_planned_in_chunks_has_every_slot_and_the_inputs_fingerprint_of_the_whole_scope()
    {
        // More than two chunks, so the fingerprint is carried across chunk boundaries.
        var (workflow, tests) = await SavedTestsAsync(2 * ResultSlots.ChunkSize + 17);
        var loader = new RunPlanLoader(Workflows, Tests, Runs);
        var (counted, error) = await loader.CountAsync(OrgA, workflow.Id, RunScopeSpec.WholeWorkflow, int.MaxValue, default);
        Assert.Null(error);
        var run = RunDocuments.Pending("wftestrun_chunked", OrgA, counted!, RunDocuments.ApiTrigger, T0);
        await Runs.InsertRunAsync(run);
        Assert.Equal(tests.Count, run.TotalTests);

        var slots = PlannedSlots.Of(run, counted!.Workflow, loader.ReadTestsAsync(OrgA, counted, default), T0, Deadline);
        var queued = await Runs.QueuePlannedRunAsync(run.Id, slots, T0.AddSeconds(1));

        Assert.NotNull(queued);
        Assert.Equal(tests.Count, queued.TotalTests);
        Assert.Equal(tests.Count, queued.Counts.Queued);
        Assert.Equal(RunPlanner.Plan(workflow, tests, RunScopeSpec.WholeWorkflow).InputsFingerprint, queued.InputsFingerprint);
        Assert.Equal(queued.InputsFingerprint, (await Runs.GetRunAsync(OrgA, run.Id))!.InputsFingerprint);
        Assert.Equal(tests.Count, slots.Count);
    }

    [Fact]
    public async Task A_block_scope_planned_in_chunks_counts_and_fingerprints_only_that_blocks_tests()
    {
        var (workflow, tests) = await SavedTestsAsync(ResultSlots.ChunkSize + 5);
        var scope = new RunScopeSpec(RunScopeType.Block, BlockId: "block_b");
        var loader = new RunPlanLoader(Workflows, Tests, Runs);
        var (counted, _) = await loader.CountAsync(OrgA, workflow.Id, scope, int.MaxValue, default);
        var run = RunDocuments.Pending("wftestrun_block", OrgA, counted!, RunDocuments.ApiTrigger, T0);
        await Runs.InsertRunAsync(run);

        var queued = await Runs.QueuePlannedRunAsync(run.Id, PlannedSlots.Of(run, workflow, loader.ReadTestsAsync(OrgA, counted!, default), T0, Deadline), T0);

        var expected = RunPlanner.Plan(workflow, tests, scope);
        Assert.Equal(expected.Tests.Count, queued!.TotalTests);
        Assert.Equal(expected.InputsFingerprint, queued.InputsFingerprint);
        Assert.Equal(expected.InputsFingerprint, await loader.CurrentInputsFingerprintAsync(OrgA, workflow, scope, default));
        Assert.Equal("block_b", queued.TargetBlockId);
    }

    [Fact]
    public async Task A_redelivered_chunked_plan_keeps_the_slots_stored_by_the_first_one()
    {
        var (workflow, _) = await SavedTestsAsync(30);
        var loader = new RunPlanLoader(Workflows, Tests, Runs);
        var (counted, _) = await loader.CountAsync(OrgA, workflow.Id, RunScopeSpec.WholeWorkflow, int.MaxValue, default);
        var run = RunDocuments.Pending("wftestrun_again", OrgA, counted!, RunDocuments.ApiTrigger, T0);
        await Runs.InsertRunAsync(run);
        // The first delivery stored a chunk of slots and died before queueing the run.
        var firstChunk = (await Tests.GetManyAsync(OrgA, workflow.Id, await Tests.ListIdsAsync(OrgA, workflow.Id, null))).Take(10).ToList();
        var partial = PlannedSlots.Of(run, workflow, DiesAfter(firstChunk), T0, Deadline);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Runs.QueuePlannedRunAsync(run.Id, partial, T0));
        Assert.Equal(RunStatus.Pending, (await Runs.GetRunAsync(OrgA, run.Id))!.Status);

        var queued = await Runs.QueuePlannedRunAsync(run.Id, PlannedSlots.Of(run, workflow, loader.ReadTestsAsync(OrgA, counted!, default), T0.AddMinutes(1), Deadline), T0.AddMinutes(1));

        Assert.Equal(30, queued!.TotalTests);
        var kept = await Runs.GetResultAsync(OrgA, RunResults.ResultIdOf(run.Id, firstChunk[0].Id));
        Assert.Equal(T0, kept!.CreatedAt);
        Assert.Equal(T0.AddMinutes(1), (await Runs.GetResultAsync(OrgA, RunResults.ResultIdOf(run.Id, (await Tests.ListIdsAsync(OrgA, workflow.Id, null))[^1])))!.CreatedAt);

        static async IAsyncEnumerable<IReadOnlyList<WorkflowTest>> DiesAfter(IReadOnlyList<WorkflowTest> chunk)
        {
            yield return chunk;
            await Task.Yield();
            throw new InvalidOperationException("the orchestrator died mid-planning");
        }
    }
}
