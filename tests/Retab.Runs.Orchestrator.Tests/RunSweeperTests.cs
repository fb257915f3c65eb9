using Retab.Runs.Contracts;
using Retab.Runs.Core.Runs;
using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>
/// The swept rows of <see cref="RunSaga"/> (DESIGN §5 rule 6), decided at times the test sets on the fake clock and
/// with the broker's backlog the test says: stalled tests sent again or lost, lost commands and announcements repeated,
/// counts reconciled.
/// </summary>
public sealed class RunSweeperTests : SagaTests
{
    [Fact]
    public async Task A_stalled_running_test_is_sent_again_with_its_next_attempt_and_deadline()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 1);
        await Saga.DeliverAsync(Saga.Started(sent[0]));
        Saga.AdvancePastDeadline();

        await Saga.SweepAsync();

        var resent = Saga.Executions(run.Id)[^1];
        Assert.Equal((sent[0].ResultId, 2, Saga.Now + SagaHarness.Deadline), (resent.ResultId, resent.Attempt, resent.Deadline));
        var slot = Assert.Single(await Saga.SlotsAsync(run.Id));
        Assert.Equal((SlotStatus.Running, 2, resent.Deadline), (slot.Status, slot.Attempt, slot.Deadline));
        // Its new deadline has not passed: another sweep leaves it alone.
        await Saga.SweepAsync();
        Assert.Equal(2, Saga.Executions(run.Id).Count);
    }

    [Theory]
    [InlineData(ExecutionBacklogState.Waiting, 0)]
    [InlineData(ExecutionBacklogState.Empty, SagaHarness.Window)]
    public async Task A_sent_test_not_started_is_sent_again_only_once_no_execution_waits_in_the_broker(ExecutionBacklogState backlog, int resentCount)
    {
        // Two more tests than the window: those two were never sent, so their deadlines are not running.
        var (run, sent) = await Saga.CreateRunAsync(tests: SagaHarness.Window + 2);
        Saga.Backlog.State = backlog;
        Saga.AdvancePastDeadline();

        await Saga.SweepAsync();
        await Saga.SettledAsync();

        var resent = Saga.Executions(run.Id).Skip(sent.Count).ToList();
        Assert.Equal(resentCount, resent.Count);
        Assert.All(resent, execution => Assert.Contains(execution.ResultId, sent.Select(s => s.ResultId)));
        Assert.All(await Saga.SlotsAsync(run.Id), slot => Assert.Equal(SlotStatus.Queued, slot.Status));
    }

    [Theory]
    [InlineData(ExecutionBacklogState.Unknown)]
    [InlineData(ExecutionBacklogState.NoWorkers)]
    public async Task While_the_broker_does_not_answer_or_no_worker_consumes_the_sweeper_decides_nothing(ExecutionBacklogState outage)
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 2);
        await Saga.DeliverAsync(Saga.Started(sent[0]));
        Saga.Backlog.State = outage;

        for (var sweep = 0; sweep <= SagaHarness.MaxAttempts; sweep++)
        {
            Saga.AdvancePastDeadline();
            await Saga.SweepAsync();
        }
        await Saga.SettledAsync();

        Assert.Equal(2, Saga.Executions(run.Id).Count);
        Assert.All(await Saga.SlotsAsync(run.Id), slot => Assert.Equal((1, null), (slot.Attempt, slot.Error)));
        Assert.Equal(new RunCounts(Queued: 1, Running: 1), (await Saga.RunAsync(run.Id)).Counts);
    }

    [Theory]
    [InlineData(ExecutionBacklogState.Unknown)]
    [InlineData(ExecutionBacklogState.NoWorkers)]
    public async Task After_an_outage_a_started_test_has_a_whole_deadline_from_work_flowing_again(ExecutionBacklogState outage)
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 2);
        await Saga.DeliverAsync(Saga.Started(sent[0]));
        Saga.Backlog.State = outage;
        Saga.AdvancePastDeadline();
        await Saga.SweepAsync();

        // The broker is back: what it held (and took back from workers) is delivered again; nothing is sent twice yet.
        Saga.Backlog.State = ExecutionBacklogState.Empty;
        await Saga.SweepAsync();
        Saga.Time.Advance(SagaHarness.Deadline - TimeSpan.FromSeconds(1));
        await Saga.SweepAsync();
        await Saga.SettledAsync();
        Assert.Equal(2, Saga.Executions(run.Id).Count);

        Saga.Time.Advance(TimeSpan.FromSeconds(2));
        await Saga.SweepAsync();
        Assert.Contains(await Saga.ExecutionsAsync(run.Id, 3), e => e.Attempt == 2 && e.ResultId == sent[0].ResultId);
    }

    [Fact]
    public async Task A_test_no_worker_finishes_within_its_attempts_ends_as_worker_lost_and_the_run_completes_for_good()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 2);
        await Saga.DeliverAsync(Saga.Finished(sent[0]));
        await Saga.DeliverAsync(Saga.Started(sent[1]));

        for (var sweep = 0; sweep < SagaHarness.MaxAttempts; sweep++)
        {
            Saga.AdvancePastDeadline();
            await Saga.SweepAsync();
        }

        Assert.Equal([1, 2, 3], Saga.Executions(run.Id).Where(e => e.ResultId == sent[1].ResultId).Select(e => e.Attempt));
        var lost = (await Saga.SlotsAsync(run.Id)).Single(s => s.Id == sent[1].ResultId);
        Assert.Equal((SlotStatus.Error, RunErrorCodes.WorkerLost), (lost.Status, lost.Error?.Code));
        var ended = await Saga.RunAsync(run.Id);
        Assert.Equal((RunStatus.Completed, new RunCounts(Completed: 1, Error: 1, Passed: 1)), (ended.Status, ended.Counts));
        var (completed, _) = Assert.Single(Saga.Completions(run.Id));
        Assert.Equal(new RunCountsSnapshot(0, 0, 0, 1, 1, 0, 1, 0, 0), completed.Counts);
        // The worker's result after all: the run's counts were announced, so it changes nothing.
        await Saga.DeliverAsync(Saga.Finished(sent[1]));
        Assert.Equal(ended, await Saga.RunAsync(run.Id));
        Assert.Single(Saga.Completions(run.Id));
    }

    [Fact]
    public async Task A_run_left_pending_gets_its_CreateTestRun_again_and_is_queued()
    {
        // The gateway stored it, but its CreateTestRun never reached the broker.
        var run = await Saga.StoreRunAsync(await Saga.SaveWorkflowAsync(tests: 2));
        Saga.AdvancePastDeadline();

        await Saga.SweepAsync();

        Assert.Equal(RunCommands.Create(run), Assert.Single(Saga.CreateCommands(run.Id)));
        await Saga.ExecutionsAsync(run.Id, 2);
        Assert.Equal(RunStatus.Queued, (await Saga.RunAsync(run.Id)).Status);
    }

    [Fact]
    public async Task An_ended_run_whose_end_was_not_recorded_as_announced_is_announced_again_with_the_same_message_id()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 1);
        Saga.Store.LoseCompletionPublished = true;
        await Saga.DeliverAsync(Saga.Finished(sent[0]));
        var first = Assert.Single(Saga.Completions(run.Id));
        Saga.Store.LoseCompletionPublished = false;

        await Saga.SweepAsync();
        Assert.Single(Saga.Completions(run.Id)); // its winner may still be announcing it
        Saga.AdvancePastAnnouncementGrace();
        await Saga.SweepAsync();

        Assert.Equal([first, first], Saga.Completions(run.Id));
        Assert.True((await Saga.RunAsync(run.Id)).CompletionPublished);
        await Saga.SweepAsync();
        Assert.Equal(2, Saga.Completions(run.Id).Count);
    }

    [Fact]
    public async Task A_cancelled_run_whose_end_was_not_recorded_as_announced_is_announced_cancelled_and_completed_again()
    {
        var (run, _) = await Saga.CreateRunAsync(tests: 1);
        Saga.Store.LoseCompletionPublished = true;
        await Saga.DeliverAsync(RunCommands.Cancel(run, "stop"));
        var (cancelled, completed) = (Saga.Cancellations(run.Id)[0], Saga.Completions(run.Id)[0]);
        Saga.Store.LoseCompletionPublished = false;

        Saga.AdvancePastAnnouncementGrace();
        await Saga.SweepAsync();

        Assert.Equal([cancelled, cancelled], Saga.Cancellations(run.Id));
        Assert.Equal([completed, completed], Saga.Completions(run.Id));
        Assert.Equal(RunAnnouncer.MessageId(run.Id, "cancelled"), cancelled.MessageId);
    }

    [Fact]
    public async Task A_stalled_run_whose_counts_drifted_from_its_slots_is_reconciled_and_completed()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 2);
        await Saga.DeliverAsync(Saga.Finished(sent[0]));
        Saga.SkewCounts(run.Id, RunCounts.AllQueued(2)); // the first result's count change was lost
        await Saga.DeliverAsync(Saga.Finished(sent[1]));
        Assert.Equal(RunStatus.Running, (await Saga.RunAsync(run.Id)).Status);
        Saga.AdvancePastDeadline();

        await Saga.SweepAsync();

        var ended = await Saga.RunAsync(run.Id);
        Assert.Equal((RunStatus.Completed, new RunCounts(Completed: 2, Passed: 2)), (ended.Status, ended.Counts));
        var (completed, _) = Assert.Single(Saga.Completions(run.Id));
        Assert.Equal(new RunCountsSnapshot(0, 0, 0, 2, 0, 0, 2, 0, 0), completed.Counts);
        Assert.Equal(2, Saga.Executions(run.Id).Count);
    }

    [Fact]
    public async Task A_run_that_moved_within_the_deadline_is_not_swept_though_one_of_its_tests_is_overdue()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 2);
        await Saga.DeliverAsync(Saga.Started(sent[0]));
        Saga.Time.Advance(SagaHarness.Deadline - TimeSpan.FromSeconds(10));
        await Saga.DeliverAsync(Saga.Finished(sent[1]));
        Saga.Time.Advance(TimeSpan.FromSeconds(20));
        Saga.Backlog.State = ExecutionBacklogState.Empty;

        await Saga.SweepAsync();
        await Saga.SettledAsync();

        Assert.Equal(2, Saga.Executions(run.Id).Count);
        Assert.Equal(1, (await Saga.SlotsAsync(run.Id)).Single(s => s.Id == sent[0].ResultId).Attempt);
    }

    [Fact]
    public async Task A_stalled_queued_run_no_dispatcher_is_sending_is_sent_again_from_its_first_queued_test()
    {
        // Queued by an orchestrator that stopped before it sent anything, and missed by the next one's start.
        var run = await Saga.StoreQueuedRunAsync(await Saga.SaveWorkflowAsync(tests: 2));
        Saga.AdvancePastDeadline();

        await Saga.SweepAsync();

        var sent = await Saga.ExecutionsAsync(run.Id, 2);
        Assert.All(sent, execution => Assert.Equal(1, execution.Attempt));
        Assert.True(Saga.Dispatcher.IsSending(run.Id));
    }

    /// <summary>
    /// A test's deadline runs from when it is sent, not from when its slot was created: a test that waited for its
    /// organization's window while another run held every place, in a run that has not moved since it was queued (so
    /// it counts as stalled), is not overdue at the sweep seconds after its send. Each test has
    /// <see cref="OrchestratorOptions.MaxAttempts"/> whole deadlines from its send.
    /// </summary>
    [Fact]
    public async Task A_test_that_waited_for_a_place_in_the_window_is_not_overdue_seconds_after_it_is_sent()
    {
        var (_, busySent) = await Saga.CreateRunAsync(tests: SagaHarness.Window);
        var waiting = await Saga.StoreRunAsync(await Saga.SaveWorkflowAsync(tests: 1));
        await Saga.DeliverAsync(RunCommands.Create(waiting));
        Saga.Time.Advance(SagaHarness.Deadline + TimeSpan.FromMinutes(1));
        await Saga.DeliverAsync(Saga.Finished(busySent[0])); // frees a place: the waiting run's test goes out now
        var sent = Assert.Single(await Saga.ExecutionsAsync(waiting.Id, 1));
        Saga.Time.Advance(SagaHarness.SweepInterval);

        await Saga.SweepAsync();

        Assert.Equal(1, Assert.Single(await Saga.SlotsAsync(waiting.Id)).Attempt);
        Assert.True(sent.Deadline > Saga.Now, $"sent with deadline {sent.Deadline:O}, already past at {Saga.Now:O}");
    }
}
