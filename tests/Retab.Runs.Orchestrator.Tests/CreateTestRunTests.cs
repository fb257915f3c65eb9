using Retab.Runs.Contracts;
using Retab.Runs.Core.Runs;
using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>The CreateTestRun rows of <see cref="RunSaga"/>: a run the gateway stored, one published straight on the bus, and runs that cannot be planned.</summary>
public sealed class CreateTestRunTests : SagaTests
{
    [Fact]
    public async Task A_run_the_gateway_stored_is_queued_and_its_tests_go_out_one_window_at_a_time()
    {
        var run = await Saga.StoreRunAsync(await Saga.SaveWorkflowAsync(tests: 6));

        await Saga.DeliverAsync(RunCommands.Create(run));

        var queued = await Saga.RunAsync(run.Id);
        Assert.Equal(RunStatus.Queued, queued.Status);
        Assert.Equal(RunCounts.AllQueued(6), queued.Counts);
        Assert.Equal(6, (await Saga.SlotsAsync(run.Id)).Count(slot => slot.Status == SlotStatus.Queued));
        var sent = await Saga.ExecutionsAsync(run.Id, SagaHarness.Window);
        await Saga.SettledAsync();
        Assert.Equal(SagaHarness.Window, Saga.Executions(run.Id).Select(e => e.ResultId).Distinct().Count());
        Assert.All(sent, execution => Assert.Equal(1, execution.Attempt));

        // A finished test lets the next one of the organization in, and only one.
        await Saga.DeliverAsync(Saga.Finished(sent[0]));
        await Saga.ExecutionsAsync(run.Id, SagaHarness.Window + 1);
        await Saga.SettledAsync();
        Assert.Equal(SagaHarness.Window + 1, Saga.Executions(run.Id).Select(e => e.ResultId).Distinct().Count());
    }

    [Theory]
    [InlineData(null, RunDocuments.CustomTrigger)]
    [InlineData("nightly", "nightly")]
    public async Task A_run_published_straight_on_the_bus_is_recorded_with_its_trigger_and_queued(string? trigger, string recorded)
    {
        var workflow = await Saga.SaveWorkflowAsync(tests: 2);
        var command = SagaHarness.FromBus(workflow.Id, trigger: trigger is null ? null : new RunTrigger(trigger));

        await Saga.DeliverAsync(command);

        var run = await Saga.RunAsync(command.RunId);
        Assert.Equal((RunStatus.Queued, recorded, 2), (run.Status, run.TriggerType, run.TotalTests));
        Assert.Equal(workflow.Id, run.WorkflowId);
        Assert.Equal(2, (await Saga.ExecutionsAsync(command.RunId, 2)).Count);
    }

    [Fact]
    public async Task A_run_of_an_unknown_workflow_is_recorded_in_error_and_announced()
    {
        var command = SagaHarness.FromBus("wf_unknown");

        await Saga.DeliverAsync(command);

        var run = await Saga.RunAsync(command.RunId);
        Assert.Equal((RunStatus.Error, RunErrorCodes.WorkflowNotFound), (run.Status, run.Error?.Code));
        Assert.True(run.CompletionPublished);
        var (completed, _) = Assert.Single(Saga.Completions(command.RunId));
        Assert.Equal(("error", RunErrorCodes.WorkflowNotFound, 0), (completed.Status, completed.Error?.Code, completed.TotalTests));
        Assert.Equal([typeof(TestRunCompleted)], Saga.Announcements(command.RunId));
        Assert.Empty(Saga.Executions(command.RunId));
    }

    [Theory]
    [InlineData("block", TestWorkflows.UntestedBlock)]
    [InlineData("workflow", null)]
    public async Task A_scope_that_selects_no_test_ends_the_run_in_error_no_tests_in_scope(string scope, string? blockId)
    {
        var workflow = await Saga.SaveWorkflowAsync(tests: scope == "block" ? 2 : 0);
        var command = SagaHarness.FromBus(workflow.Id, new RunScope(scope, blockId));

        await Saga.DeliverAsync(command);

        var run = await Saga.RunAsync(command.RunId);
        Assert.Equal((RunStatus.Error, RunErrorCodes.NoTestsInScope), (run.Status, run.Error?.Code));
        var (completed, _) = Assert.Single(Saga.Completions(command.RunId));
        Assert.Equal(("error", RunErrorCodes.NoTestsInScope), (completed.Status, completed.Error?.Code));
        Assert.Empty(await Saga.SlotsAsync(command.RunId));
        Assert.Empty(Saga.Executions(command.RunId));
    }

    [Fact]
    public async Task A_stored_run_whose_workflow_is_gone_when_it_is_planned_ends_in_error_with_every_test_counted()
    {
        var workflow = await Saga.SaveWorkflowAsync(tests: 3);
        var run = await Saga.StoreRunAsync(workflow);
        await Saga.DeleteWorkflowAsync(workflow);

        await Saga.DeliverAsync(RunCommands.Create(run));

        var failed = await Saga.RunAsync(run.Id);
        Assert.Equal((RunStatus.Error, RunErrorCodes.WorkflowNotFound), (failed.Status, failed.Error?.Code));
        Assert.Equal(new RunCounts(Error: 3), failed.Counts);
        var (completed, _) = Assert.Single(Saga.Completions(run.Id));
        Assert.Equal(new RunCountsSnapshot(0, 0, 0, 0, 3, 0, 0, 0, 0), completed.Counts);
        Assert.Empty(Saga.Executions(run.Id));
    }

    [Fact]
    public async Task A_run_whose_every_test_is_decided_when_it_is_planned_completes_at_once_without_sending_any()
    {
        // Every test targets a block the draft no longer has: each completes as blocked when its slot is created.
        var run = await Saga.StoreRunAsync(await Saga.SaveWorkflowAsync(tests: 2, block: "block_removed"));

        await Saga.DeliverAsync(RunCommands.Create(run));

        var completed = await Saga.RunAsync(run.Id);
        Assert.Equal(RunStatus.Completed, completed.Status);
        Assert.Equal(new RunCounts(Completed: 2, Blocked: 2), completed.Counts);
        var (announced, _) = Assert.Single(Saga.Completions(run.Id));
        Assert.Equal(new RunCountsSnapshot(0, 0, 0, 2, 0, 0, 0, 0, 2), announced.Counts);
        await Saga.SettledAsync();
        Assert.Empty(Saga.Executions(run.Id));
    }
}
