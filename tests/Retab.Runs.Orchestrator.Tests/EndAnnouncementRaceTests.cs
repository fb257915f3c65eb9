using Retab.Runs.Contracts;
using Retab.Runs.Core.Runs;
using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>
/// A run's end meets another message while it is being announced: the run ends once and <c>TestRunCompleted</c> is
/// published once (DESIGN §5 rule 5: the winner of the move publishes it).
/// </summary>
public sealed class EndAnnouncementRaceTests : SagaTests
{
    public enum Bystander { Cancel, RedeliveredCreate, Sweep }

    /// <summary>
    /// The last result completes the run; while its consumer is between <c>CompleteRun</c> and
    /// <c>MarkCompletionPublished</c> (the publish round trip to the broker), a CancelTestRun, a redelivered CreateTestRun
    /// or a sweep reads the run as ended and unannounced, and leaves the announcement to the caller that ended it.
    /// </summary>
    [Theory]
    [InlineData(Bystander.Cancel)]
    [InlineData(Bystander.RedeliveredCreate)]
    [InlineData(Bystander.Sweep)]
    public async Task A_run_completing_while_another_message_arrives_is_announced_once(Bystander bystander)
    {
        var (run, sent) = await Saga.CreateRunAsync(tests: 1);
        var (completedInStore, release) = (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource());
        Saga.Store.AfterCompleteRun = async _ =>
        {
            completedInStore.TrySetResult();
            await release.Task;
        };
        var lastResult = Saga.DeliverAsync(Saga.Finished(sent[0]));
        await completedInStore.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await (bystander switch
        {
            Bystander.Cancel => Saga.DeliverAsync(RunCommands.Cancel(run, "late")),
            Bystander.RedeliveredCreate => Saga.DeliverAsync(RunCommands.Create(run)),
            _ => Saga.SweepAsync(),
        });
        release.SetResult();
        await lastResult;

        Assert.Equal(RunStatus.Completed, (await Saga.RunAsync(run.Id)).Status);
        Assert.Equal([typeof(TestRunStarted), typeof(TestRunCompleted)], Saga.Announcements(run.Id));
    }

    /// <summary>
    /// Cancel and the last result really at once, on their two queues, for as many one-test runs as the window sends:
    /// whichever wins, the run ends once with counts equal to its slots and is announced once.
    /// </summary>
    [Fact]
    public async Task Cancel_and_the_last_result_at_once_end_each_run_once_with_counts_equal_to_its_slots()
    {
        var runs = new List<(TestRun Run, ExecuteWorkflowTest Sent)>();
        for (var i = 0; i < SagaHarness.Window; i++)
        {
            var (run, sent) = await Saga.CreateRunAsync(tests: 1);
            runs.Add((run, sent[0]));
        }

        await Saga.DeliverAsync(runs.SelectMany(r => new object[] { RunCommands.Cancel(r.Run, "race"), Saga.Finished(r.Sent) }).ToArray());
        await Saga.SettledAsync();

        foreach (var (run, _) in runs)
        {
            var ended = await Saga.RunAsync(run.Id);
            Assert.Contains(ended.Status, new[] { RunStatus.Completed, RunStatus.Cancelled });
            Assert.Equal(RunCounts.FromSlots((await Saga.SlotsAsync(run.Id)).Select(s => (s.Status, s.Verdict))), ended.Counts);
            Assert.Equal(1, ended.Counts.Total);
            var (completed, _) = Assert.Single(Saga.Completions(run.Id));
            Assert.Equal(ended.Status.ToString().ToLowerInvariant(), completed.Status);
            Assert.Equal(ended.Status == RunStatus.Cancelled ? 1 : 0, Saga.Cancellations(run.Id).Count);
        }
    }
}
