using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>The orchestrator plans a run once, a chunk of tests at a time, and queues it with its count and inputs fingerprint.</summary>
public sealed class ChunkedPlanningTests : SagaTests
{
    private const int ManyTests = 2 * ResultSlots.ChunkSize + 1;

    [Fact]
    public async Task A_run_the_gateway_counted_is_queued_with_a_slot_per_test_and_the_inputs_fingerprint_of_all_of_them()
    {
        var workflow = await Saga.SaveWorkflowAsync(ManyTests);
        var loader = new RunPlanLoader(Saga.Workflows, Saga.Tests, Saga.Store);
        var (counted, _) = await loader.CountAsync(SagaHarness.Org, workflow.Id, RunScopeSpec.WholeWorkflow, int.MaxValue, default);
        var run = RunDocuments.Pending(SagaHarness.NewRunId(), SagaHarness.Org, counted!, RunDocuments.ApiTrigger, DateTimeOffset.UtcNow);
        await Saga.Store.InsertRunAsync(run);
        Assert.Equal("", run.InputsFingerprint);

        await Saga.DeliverAsync(RunCommands.Create(run));

        var queued = await Saga.RunAsync(run.Id);
        Assert.Equal((RunStatus.Queued, ManyTests), (queued.Status, queued.TotalTests));
        Assert.Equal((await Saga.PlanAsync(workflow)).InputsFingerprint, queued.InputsFingerprint);
        Assert.Equal(RunCounts.AllQueued(ManyTests), queued.Counts); // counted from the stored slots
    }

    [Fact]
    public async Task The_orchestrators_count_wins_over_the_gateways_when_tests_were_added_in_between()
    {
        var workflow = await Saga.SaveWorkflowAsync(3);
        var run = await Saga.StoreRunAsync(workflow);
        await Saga.AddTestsAsync(workflow, 2);

        await Saga.DeliverAsync(RunCommands.Create(run));

        var queued = await Saga.RunAsync(run.Id);
        Assert.Equal((3, 5, 5), (run.TotalTests, queued.TotalTests, queued.Counts.Queued));
        Assert.Equal((await Saga.PlanAsync(workflow)).InputsFingerprint, queued.InputsFingerprint);
    }
}
