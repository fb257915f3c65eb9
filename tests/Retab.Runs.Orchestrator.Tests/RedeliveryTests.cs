using Retab.Runs.Contracts;
using Retab.Runs.Core.Runs;
using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>Every message the saga consumes, delivered again (at-least-once delivery): nothing is counted, created, sent or announced twice.</summary>
public sealed class RedeliveryTests : SagaTests
{
    [Fact]
    public async Task A_redelivered_CreateTestRun_makes_no_second_slot_and_sends_no_test_twice()
    {
        var (run, _) = await Saga.CreateRunAsync(tests: 6);

        await Saga.DeliverAsync(RunCommands.Create(run));
        await Saga.SettledAsync();

        Assert.Equal(6, (await Saga.SlotsAsync(run.Id)).Count);
        Assert.Equal(RunCounts.AllQueued(6), (await Saga.RunAsync(run.Id)).Counts);
        Assert.Equal(SagaHarness.Window, Saga.Executions(run.Id).Count);
    }

    [Fact]
    public async Task Two_copies_of_CreateTestRun_at_once_queue_the_run_once_and_send_each_test_once()
    {
        var run = await Saga.StoreRunAsync(await Saga.SaveWorkflowAsync(tests: 6));

        await Saga.DeliverAsync(RunCommands.Create(run), RunCommands.Create(run));
        await Saga.ExecutionsAsync(run.Id, SagaHarness.Window);
        await Saga.SettledAsync();

        Assert.Equal(6, (await Saga.SlotsAsync(run.Id)).Count);
        Assert.Equal(SagaHarness.Window, Saga.Executions(run.Id).Count);
        Assert.Equal(SagaHarness.Window, Saga.Executions(run.Id).Select(e => e.ResultId).Distinct().Count());
    }

    [Fact]
    public async Task A_redelivered_CreateTestRun_resumes_sending_a_queued_run_from_its_first_queued_test()
    {
        // Queued by an orchestrator that died before sending: 2 of its tests finished anyway (sent by an earlier life).
        var run = await Saga.StoreQueuedRunAsync(await Saga.SaveWorkflowAsync(tests: 5));
        var slots = await Saga.SlotsAsync(run.Id);
        await Saga.DeliverAsync(Saga.Finished(slots[0]), Saga.Finished(slots[3]));
        Assert.False(Saga.Dispatcher.IsSending(run.Id));

        await Saga.DeliverAsync(RunCommands.Create(run));

        await Saga.ExecutionsAsync(run.Id, 3);
        await Saga.SettledAsync();
        Assert.Equal([slots[1].Id, slots[2].Id, slots[4].Id], Saga.Executions(run.Id).Select(e => e.ResultId).Order());
        Assert.Equal(5, (await Saga.SlotsAsync(run.Id)).Count);
    }

    [Fact]
    public async Task A_redelivered_CreateTestRun_announces_an_ended_run_whose_end_was_not_recorded_with_the_same_message_id()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 2);
        Saga.Store.LoseCompletionPublished = true;
        await Saga.DeliverAsync(Saga.Finished(sent[0]));
        await Saga.DeliverAsync(Saga.Finished(sent[1]));
        var first = Assert.Single(Saga.Completions(run.Id));
        Assert.False((await Saga.RunAsync(run.Id)).CompletionPublished);
        Saga.Store.LoseCompletionPublished = false;

        // While its winner may still be announcing it, nobody else does.
        await Saga.DeliverAsync(RunCommands.Create(run));
        Assert.Single(Saga.Completions(run.Id));
        Saga.AdvancePastAnnouncementGrace();
        await Saga.DeliverAsync(RunCommands.Create(run));

        Assert.Equal([first, first], Saga.Completions(run.Id));
        Assert.Equal(RunAnnouncer.MessageId(run.Id, "ended"), first.MessageId);
        Assert.True((await Saga.RunAsync(run.Id)).CompletionPublished);
        // Once recorded as announced, another copy announces nothing and sends nothing.
        await Saga.DeliverAsync(RunCommands.Create(run));
        await Saga.SettledAsync();
        Assert.Equal(2, Saga.Completions(run.Id).Count);
        Assert.Equal(2, Saga.Executions(run.Id).Count);
    }

    [Fact]
    public async Task A_redelivered_CancelTestRun_changes_nothing_and_announces_nothing_again()
    {
        var (run, _) = await Saga.CreateRunAsync(tests: 3);
        await Saga.DeliverAsync(RunCommands.Cancel(run, "stop"));
        var cancelled = await Saga.RunAsync(run.Id);

        await Saga.DeliverAsync(RunCommands.Cancel(run, "stop"));

        Assert.Equal(cancelled, await Saga.RunAsync(run.Id));
        Assert.Equal(new RunCounts(Cancelled: 3), cancelled.Counts);
        Assert.Equal([typeof(TestRunCancelled), typeof(TestRunCompleted)], Saga.Announcements(run.Id));
    }

    [Fact]
    public async Task A_redelivered_WorkflowTestStarted_announces_the_run_started_once()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 3);

        await Saga.DeliverAsync(Saga.Started(sent[0]));
        await Saga.DeliverAsync(Saga.Started(sent[0]), Saga.Started(sent[1]));

        var running = await Saga.RunAsync(run.Id);
        Assert.Equal(RunStatus.Running, running.Status);
        Assert.Equal(new RunCounts(Queued: 1, Running: 2), running.Counts);
        var (started, messageId) = Assert.Single(Saga.Starts(run.Id));
        Assert.Equal(running.StartedAt, started.StartedAt);
        Assert.Equal(RunAnnouncer.MessageId(run.Id, "started"), messageId);
    }

    [Fact]
    public async Task A_redelivered_WorkflowTestFinished_changes_no_count_and_frees_no_second_place_in_the_window()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 6);
        await Saga.DeliverAsync(Saga.Finished(sent[0]));
        await Saga.ExecutionsAsync(run.Id, SagaHarness.Window + 1);
        var once = await Saga.RunAsync(run.Id);

        await Saga.DeliverAsync(Saga.Finished(sent[0]));
        await Saga.SettledAsync();

        Assert.Equal(new RunCounts(Queued: 5, Completed: 1, Passed: 1), (await Saga.RunAsync(run.Id)).Counts);
        Assert.Equal(once.LastProgressAt, (await Saga.RunAsync(run.Id)).LastProgressAt);
        Assert.Equal(SagaHarness.Window + 1, Saga.Executions(run.Id).Count);
    }

    [Fact]
    public async Task A_WorkflowTestFinished_redelivered_after_the_run_completed_announces_nothing_again()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 2);
        await Saga.DeliverAsync(Saga.Finished(sent[0]));
        await Saga.DeliverAsync(Saga.Finished(sent[1], verdict: "failed"));
        var completed = await Saga.RunAsync(run.Id);

        await Saga.DeliverAsync(Saga.Finished(sent[1], verdict: "failed"));

        Assert.Equal(completed, await Saga.RunAsync(run.Id));
        Assert.Equal(new RunCounts(Completed: 2, Passed: 1, Failed: 1), completed.Counts);
        Assert.Equal([typeof(TestRunStarted), typeof(TestRunCompleted)], Saga.Announcements(run.Id));
    }
}
