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

    [Fact]
    public async Task A_run_whose_tests_were_all_deleted_after_they_were_counted_ends_in_error_no_tests_in_scope()
    {
        var workflow = await Saga.SaveWorkflowAsync(3);
        var run = await Saga.StoreRunAsync(workflow);
        Saga.Store.BeforeQueue = async _ =>
        {
            foreach (var test in await Saga.Tests.ListAllAsync(SagaHarness.Org, workflow.Id))
                await Saga.Tests.DeleteAsync(SagaHarness.Org, test.Id);
        };

        await Saga.DeliverAsync(RunCommands.Create(run));

        var ended = await Saga.RunAsync(run.Id);
        Assert.Equal((RunStatus.Error, RunErrorCodes.NoTestsInScope, 0), (ended.Status, ended.Error?.Code, ended.Counts.Total));
        var (completed, _) = Assert.Single(Saga.Completions(run.Id));
        Assert.Equal(("error", RunErrorCodes.NoTestsInScope), (completed.Status, completed.Error?.Code));
        Assert.Empty(await Saga.SlotsAsync(run.Id));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_run_left_queued_with_no_slot_by_a_planner_that_died_is_failed_on_redelivery_or_by_the_sweeper(bool swept)
    {
        var run = await Saga.StoreRunAsync(await Saga.SaveWorkflowAsync(2));
        Assert.Equal(0, (await Saga.Store.QueuePlannedRunAsync(run.Id, PlannedSlots.Of([]), Saga.Now))!.TotalTests);

        if (swept)
        {
            Saga.Time.Advance(SagaHarness.Deadline + TimeSpan.FromSeconds(1));
            await Saga.SweepAsync();
        }
        else
        {
            await Saga.DeliverAsync(RunCommands.Create(run));
        }

        var ended = await Saga.RunAsync(run.Id);
        Assert.Equal((RunStatus.Error, RunErrorCodes.NoTestsInScope), (ended.Status, ended.Error?.Code));
        Assert.Single(Saga.Completions(run.Id));
    }
}
