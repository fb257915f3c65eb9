using Retab.Runs.Contracts;
using Retab.Runs.Core.Runs;
using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>The fan-in rows of <see cref="RunSaga"/>: workers' started and finished tests move the run to running, then to completed.</summary>
public sealed class SlotEventTests : SagaTests
{
    [Fact]
    public async Task The_first_started_test_moves_the_run_to_running_and_announces_it()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 2);

        await Saga.DeliverAsync(Saga.Started(sent[0]));

        var running = await Saga.RunAsync(run.Id);
        Assert.Equal((RunStatus.Running, Saga.Now), (running.Status, running.StartedAt));
        Assert.Equal(new RunCounts(Queued: 1, Running: 1), running.Counts);
        var (started, _) = Assert.Single(Saga.Starts(run.Id));
        Assert.Equal((run.WorkflowId, Saga.Now), (started.WorkflowId, started.StartedAt));
        Assert.Empty(Saga.Completions(run.Id));
    }

    [Fact]
    public async Task The_last_finished_test_completes_the_run_and_announces_its_exact_counts_once()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 4);
        await Saga.DeliverAsync(Saga.Started(sent[0]));
        Saga.Time.Advance(TimeSpan.FromSeconds(30));

        await Saga.DeliverAsync(Saga.Finished(sent[0], "passed"));
        await Saga.DeliverAsync(Saga.Finished(sent[1], "failed"));
        await Saga.DeliverAsync(Saga.Finished(sent[2], "blocked"));
        Assert.Equal(RunStatus.Running, (await Saga.RunAsync(run.Id)).Status);
        await Saga.DeliverAsync(Saga.FailedToRun(sent[3], RunErrorCodes.ModelUnavailable));

        var ended = await Saga.RunAsync(run.Id);
        Assert.Equal(RunStatus.Completed, ended.Status);
        Assert.Equal(new RunCounts(Completed: 3, Error: 1, Passed: 1, Failed: 1, Blocked: 1), ended.Counts);
        Assert.True(ended.CompletionPublished);
        Assert.Equal([typeof(TestRunStarted), typeof(TestRunCompleted)], Saga.Announcements(run.Id));
        var (completed, messageId) = Saga.Completions(run.Id)[0];
        Assert.Equal(("completed", 4, new RunCountsSnapshot(0, 0, 0, 3, 1, 0, 1, 1, 1)), (completed.Status, completed.TotalTests, completed.Counts));
        Assert.Equal((30_000L, RunAnnouncer.MessageId(run.Id, "ended")), (completed.DurationMs, messageId));
    }

    [Fact]
    public async Task Every_test_finishing_at_once_completes_the_run_once()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: SagaHarness.Window);

        await Saga.DeliverAsync(sent.Select(execution => (object)Saga.Finished(execution)).ToArray());

        var ended = await Saga.RunAsync(run.Id);
        Assert.Equal((RunStatus.Completed, new RunCounts(Completed: SagaHarness.Window, Passed: SagaHarness.Window)), (ended.Status, ended.Counts));
        await Saga.SettledAsync();
        Assert.Equal([typeof(TestRunStarted), typeof(TestRunCompleted)], Saga.Announcements(run.Id));
    }

    [Fact]
    public async Task Events_for_a_run_still_pending_change_nothing_and_do_not_hinder_its_queueing()
    {
        var run = await Saga.StoreRunAsync(await Saga.SaveWorkflowAsync(tests: 2));
        var early = (await Saga.PlannedSlotsAsync(run))[0];

        await Saga.DeliverAsync(Saga.Started(early));
        await Saga.DeliverAsync(Saga.Finished(early));

        var pending = await Saga.RunAsync(run.Id);
        Assert.Equal((RunStatus.Pending, RunCounts.AllQueued(2), run.LastProgressAt), (pending.Status, pending.Counts, pending.LastProgressAt));
        Assert.Empty(await Saga.SlotsAsync(run.Id));
        Assert.Empty(Saga.Announcements(run.Id));

        await Saga.DeliverAsync(RunCommands.Create(run));

        var queued = await Saga.RunAsync(run.Id);
        Assert.Equal((RunStatus.Queued, RunCounts.AllQueued(2)), (queued.Status, queued.Counts));
        Assert.All(await Saga.SlotsAsync(run.Id), slot => Assert.Equal((SlotStatus.Queued, 1), (slot.Status, slot.Attempt)));
        Assert.Contains(early.Id, (await Saga.ExecutionsAsync(run.Id, 2)).Select(e => e.ResultId));
    }
}
