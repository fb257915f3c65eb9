using Retab.Runs.Contracts;
using Retab.Runs.Core.Runs;
using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>
/// An announcement whose publish fails after the store made the move it announces (a broker hiccup; a crash at that
/// point is the same to the saga): once the caller that made the move had time to announce it (two bounded publishes),
/// a later event, a redelivery or the sweeper announces it, once.
/// </summary>
public sealed class FailedAnnouncementTests : SagaTests
{
    [Fact]
    public async Task A_cancel_whose_announcements_failed_is_announced_whole_by_the_sweep_after_its_grace()
    {
        var (run, _) = await Saga.CreateRunAsync(tests: 2);
        Saga.PublishFailures.FailNext<TestRunCancelled>();

        await Saga.DeliverAsync(RunCommands.Cancel(run, "stop"));
        Assert.Empty(Saga.Announcements(run.Id));
        Saga.AdvancePastAnnouncementGrace();
        await Saga.SweepAsync();

        Assert.Equal([typeof(TestRunCancelled), typeof(TestRunCompleted)], Saga.Announcements(run.Id));
        Assert.True((await Saga.RunAsync(run.Id)).CompletionPublished);
    }

    [Fact]
    public async Task A_failed_run_whose_announcement_failed_is_announced_by_the_sweep_after_its_grace()
    {
        var command = SagaHarness.FromBus("wf_unknown");
        Saga.PublishFailures.FailNext<TestRunCompleted>();

        await Saga.DeliverAsync(command);
        Assert.Empty(Saga.Completions(command.RunId));
        Saga.AdvancePastAnnouncementGrace();
        await Saga.SweepAsync();

        Assert.Equal("error", Assert.Single(Saga.Completions(command.RunId)).Message.Status);
        Assert.True((await Saga.RunAsync(command.RunId)).CompletionPublished);
    }

    [Fact]
    public async Task A_completion_whose_announcement_failed_is_announced_by_the_next_sweep()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 1);
        Saga.PublishFailures.FailNext<TestRunCompleted>();

        await Saga.DeliverAsync(Saga.Finished(sent[0]));
        var unannounced = await Saga.RunAsync(run.Id);
        Assert.Equal((RunStatus.Completed, false), (unannounced.Status, unannounced.CompletionPublished));

        Saga.AdvancePastAnnouncementGrace();
        await Saga.SweepAsync();

        var (completed, messageId) = Assert.Single(Saga.Completions(run.Id));
        Assert.Equal(("completed", RunAnnouncer.MessageId(run.Id, "ended")), (completed.Status, messageId));
        Assert.True((await Saga.RunAsync(run.Id)).CompletionPublished);
    }

    /// <summary>
    /// The store write that moved the run to running announces it; when that publish fails, the retries of its event
    /// change nothing, so <c>start_published</c> tells the next event (after the grace) that the start is unannounced.
    /// </summary>
    [Fact]
    public async Task A_start_whose_announcement_failed_is_announced_by_a_later_event()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 2);
        Saga.PublishFailures.FailNext<TestRunStarted>();

        await Saga.DeliverAsync(Saga.Started(sent[0]));
        Assert.Empty(Saga.Starts(run.Id));
        Saga.AdvancePastAnnouncementGrace();
        // One event: several at once could each announce it (with one message id, which subscribers deduplicate).
        await Saga.DeliverAsync(Saga.Started(sent[1]));

        Assert.Equal(RunStatus.Running, (await Saga.RunAsync(run.Id)).Status);
        Assert.Single(Saga.Starts(run.Id));
    }

    /// <summary>
    /// A run that starts and ends with one event announces its start while it completes, and its end only once the start
    /// was announced: when the start's publish fails, the end waits for the sweep, as after a crash at that point.
    /// </summary>
    [Fact]
    public async Task A_run_that_starts_and_ends_at_once_never_announces_its_end_before_its_start()
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 1);
        await Saga.DeliverAsync(Saga.Finished(sent[0]));
        Assert.Equal([typeof(TestRunStarted), typeof(TestRunCompleted)], Saga.Announcements(run.Id));

        var (failing, failingSent) = await Saga.CreateRunAsync(tests: 1);
        Saga.PublishFailures.FailNext<TestRunStarted>();
        await Saga.DeliverAsync(Saga.Finished(failingSent[0]));

        Assert.Equal(RunStatus.Completed, (await Saga.RunAsync(failing.Id)).Status);
        Assert.Empty(Saga.Announcements(failing.Id));
        Saga.AdvancePastAnnouncementGrace();
        await Saga.SweepAsync();
        Assert.Equal([typeof(TestRunCompleted)], Saga.Announcements(failing.Id));
    }
}
