using Retab.Runs.Contracts;
using Retab.Runs.Core.Runs;
using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>The CancelTestRun row of <see cref="RunSaga"/>, and cancel racing a run's last result.</summary>
public sealed class CancelTestRunTests : SagaTests
{
    [Fact]
    public async Task Cancelling_an_active_run_ends_its_open_tests_stops_sending_and_announces_cancelled_then_completed()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 6);
        await Saga.DeliverAsync(Saga.Finished(sent[0]));
        await Saga.ExecutionsAsync(run.Id, SagaHarness.Window + 1);

        await Saga.DeliverAsync(RunCommands.Cancel(run, "changed my mind"));
        // A worker that had not heard of it yet: its result is kept but not counted, and frees no place to send another.
        await Saga.DeliverAsync(Saga.Finished(sent[1]));
        await Saga.SettledAsync();

        var cancelled = await Saga.RunAsync(run.Id);
        Assert.Equal((RunStatus.Cancelled, "changed my mind"), (cancelled.Status, cancelled.CancelReason));
        Assert.Equal(new RunCounts(Completed: 1, Cancelled: 5, Passed: 1), cancelled.Counts);
        Assert.True((await Saga.SlotsAsync(run.Id)).Single(s => s.Id == sent[1].ResultId).ArrivedAfterCancel);
        Assert.Equal(SagaHarness.Window + 1, Saga.Executions(run.Id).Count);
        Assert.False(Saga.Dispatcher.IsSending(run.Id));
        Assert.Equal([typeof(TestRunStarted), typeof(TestRunCancelled), typeof(TestRunCompleted)], Saga.Announcements(run.Id));
        Assert.Equal("changed my mind", Saga.Cancellations(run.Id)[0].Message.Reason);
        var (completed, _) = Saga.Completions(run.Id)[0];
        Assert.Equal(("cancelled", new RunCountsSnapshot(0, 0, 0, 1, 0, 5, 1, 0, 0)), (completed.Status, completed.Counts));
    }

    [Fact]
    public async Task Cancelling_a_run_that_completed_changes_nothing_and_announces_nothing()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 1);
        await Saga.DeliverAsync(Saga.Finished(sent[0]));
        var completed = await Saga.RunAsync(run.Id);

        await Saga.DeliverAsync(RunCommands.Cancel(run, "too late"));

        Assert.Equal(completed, await Saga.RunAsync(run.Id));
        Assert.Equal(RunStatus.Completed, completed.Status);
        Assert.Equal([typeof(TestRunStarted), typeof(TestRunCompleted)], Saga.Announcements(run.Id));
    }

    [Fact]
    public async Task A_run_cancelled_while_pending_counts_every_test_cancelled_and_its_late_CreateTestRun_starts_nothing()
    {
        var run = await Saga.StoreRunAsync(await Saga.SaveWorkflowAsync(tests: 3));

        await Saga.DeliverAsync(RunCommands.Cancel(run, "never mind"));
        await Saga.DeliverAsync(RunCommands.Create(run));
        await Saga.SettledAsync();

        var cancelled = await Saga.RunAsync(run.Id);
        Assert.Equal((RunStatus.Cancelled, new RunCounts(Cancelled: 3)), (cancelled.Status, cancelled.Counts));
        Assert.Empty(await Saga.SlotsAsync(run.Id));
        Assert.Empty(Saga.Executions(run.Id));
        Assert.Equal([typeof(TestRunCancelled), typeof(TestRunCompleted)], Saga.Announcements(run.Id));
    }

    [Fact]
    public async Task Cancel_after_the_last_result_leaves_the_run_completed_and_announced_once()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 2);
        await Saga.DeliverAsync(Saga.Finished(sent[0]));

        await Saga.DeliverAsync(Saga.Finished(sent[1]));
        await Saga.DeliverAsync(RunCommands.Cancel(run, "late"));

        var ended = await Saga.RunAsync(run.Id);
        Assert.Equal((RunStatus.Completed, new RunCounts(Completed: 2, Passed: 2)), (ended.Status, ended.Counts));
        Assert.Equal([typeof(TestRunStarted), typeof(TestRunCompleted)], Saga.Announcements(run.Id));
    }

    [Fact]
    public async Task The_last_result_after_cancel_is_kept_but_the_run_stays_cancelled_with_counts_that_sum_to_its_tests()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 2);
        await Saga.DeliverAsync(Saga.Finished(sent[0]));

        await Saga.DeliverAsync(RunCommands.Cancel(run, "early"));
        await Saga.DeliverAsync(Saga.Finished(sent[1]));

        var ended = await Saga.RunAsync(run.Id);
        Assert.Equal((RunStatus.Cancelled, new RunCounts(Completed: 1, Cancelled: 1, Passed: 1)), (ended.Status, ended.Counts));
        var late = (await Saga.SlotsAsync(run.Id)).Single(s => s.Id == sent[1].ResultId);
        Assert.Equal((SlotStatus.Cancelled, true, Verdict.Passed), (late.Status, late.ArrivedAfterCancel, late.Verdict));
        Assert.Equal([typeof(TestRunStarted), typeof(TestRunCancelled), typeof(TestRunCompleted)], Saga.Announcements(run.Id));
    }
}
