using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Limits;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Messaging;
using Retab.Runs.Messaging.Observability;
using Retab.Runs.Orchestrator.Observability;

namespace Retab.Runs.Orchestrator;

/// <summary>
/// The run saga: every move of a run, in one place. Read this first. The allowed moves are declared in
/// <see cref="RunLifecycle"/>; each row below is one event, the state it applies in, the store call that makes the move
/// (a guarded, atomic update: of concurrent callers exactly one wins), and what follows.
/// <code>
/// event                        | run is            | store call                      | then
/// -----------------------------+-------------------+---------------------------------+-------------------------------------
/// CreateTestRun                | absent (bus)      | InsertRun pending, or error     | as below
/// CreateTestRun                | pending           | QueuePlannedRun, or FailRun     | dispatch; complete a run whose slots all ended; announce a failure
/// CreateTestRun, or swept      | queued, no slot   | FailRun no_tests_in_scope       | announce it (every test deleted before it was read)
/// CreateTestRun (redelivered)  | queued / running  | —                               | resume the fan-out (dispatch again)
/// CreateTestRun (redelivered)  | ended, unannounced| —                               | announce the end if its winner did not
/// CancelTestRun                | active            | CancelRun                       | stop dispatching; announce cancelled
/// slot events (fan-in)         | queued / running  | ApplySlotEvents (ResultFolding) | queued → running: announce started (until marked)
/// every slot ended             | queued / running  | CompleteRun                     | announce completed
/// swept: never planned         | pending, stalled  | —                               | re-send CreateTestRun
/// swept: tests overdue         | queued / running  | RequeueSlot, or worker_lost     | re-send the lost ones; reconcile; complete
/// swept: end unannounced       | ended             | MarkCompletionPublished         | announce the end its winner did not
/// </code>
/// The per-test fan-in stays outside (<see cref="ResultFolding"/>: one store write for many results); it hands each
/// run it moved to <see cref="OnProgressAsync"/>. Consumers and the sweeper only translate messages and ticks into
/// calls here.
/// </summary>
public sealed class RunSaga(
    IRunStore runs,
    RunPlanLoader planLoader,
    RunDispatcher dispatcher,
    RunAnnouncer announcer,
    IExecutionBacklog backlog,
    BrokerOutages outages,
    BoundedPublisher publisher,
    IOptions<OrchestratorOptions> options,
    IOptions<BusOptions> bus,
    IOptions<ServiceLimits> limits,
    TimeProvider time,
    RunSignals signals,
    ILogger<RunSaga> logger)
{
    private OrchestratorOptions Options => options.Value;

    // ---- CreateTestRun -------------------------------------------------------------------------------------------

    public async Task CreateAsync(CreateTestRun command, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (await runs.GetRunAsync(command.OrganizationId, command.RunId, cancellationToken) is not { } run)
        {
            run = await RecordRunFromBusAsync(command, cancellationToken);
            signals.Created(run);
            if (RunLifecycle.IsTerminal(run.Status))
            {
                signals.Ended(run);
                // Recorded as failed by this call, which therefore announces it.
                await announcer.AnnounceEndAsync(run, publish, cancellationToken);
                return;
            }
        }
        switch (run.Status)
        {
            case RunStatus.Pending:
                if (await QueueAsync(run, publish, cancellationToken) is { } queued)
                {
                    dispatcher.Send(queued);
                    await CompleteIfFinishedAsync(queued, publish, cancellationToken);
                }
                break;
            case RunStatus.Queued when run.TotalTests == 0:
                // Its planner died between queueing a run of nothing and failing it.
                await FailEmptyAsync(run, publish, cancellationToken);
                break;
            case RunStatus.Queued or RunStatus.Running:
                // A redelivery after the orchestrator died mid fan-out: the slots exist (their ids derive from run and
                // test), so sending resumes from the first queued one. A run already being sent is left alone.
                if (!dispatcher.IsSending(run.Id))
                    dispatcher.Send(run);
                break;
            default:
                await AnnounceAbandonedEndAsync(run, publish, cancellationToken);
                break;
        }
    }

    /// <summary>
    /// Plans the run once, here: checks its scope again on counts (the tests may have changed since the gateway counted;
    /// this count wins), then reads its tests a chunk at a time in test-id order, storing each chunk's slots as it goes and
    /// hashing the inputs on the way, so a 100,000-test run is never held in memory. A redelivery plans again: slot ids
    /// derive from run and test, and slots already stored are kept.
    /// </summary>
    private async Task<TestRun?> QueueAsync(TestRun run, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var now = Clock.Now(time);
        var (counted, error) = await planLoader.CountAsync(run.OrganizationId, run.WorkflowId, run.Scope, limits.Value.MaxTestsPerRun, cancellationToken);
        if (counted is null)
        {
            // The tests or the workflow changed between the gateway's plan and this one.
            await FailAsync(run, error!, publish, cancellationToken);
            return null;
        }
        var slots = PlannedSlots.Of(run, counted.Workflow, planLoader.ReadTestsAsync(run.OrganizationId, counted, cancellationToken), now, Options.ExecutionDeadline);
        var queued = await runs.QueuePlannedRunAsync(run.Id, slots, now, cancellationToken);
        if (queued is { TotalTests: 0 })
        {
            await FailEmptyAsync(queued, publish, cancellationToken);
            return null;
        }
        if (queued is not null)
            signals.Queued(queued);
        return queued;
    }

    /// <summary>
    /// A run queued with no slot: every test it counted was deleted before it was read. A run of nothing would never
    /// end (it completes when every slot has), so it fails as a scope with no test in it is refused.
    /// </summary>
    private Task FailEmptyAsync(TestRun run, IPublishEndpoint publish, CancellationToken cancellationToken) =>
        FailAsync(run, new RunError(RunErrorCodes.NoTestsInScope, "Every test of the scope was deleted before the run could be planned."), publish, cancellationToken);

    private async Task FailAsync(TestRun run, RunError error, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (await runs.FailRunAsync(run.Id, error, Clock.Now(time), cancellationToken) is { } failed)
        {
            signals.Ended(failed);
            await announcer.AnnounceEndAsync(failed, publish, cancellationToken);
        }
    }

    /// <summary>
    /// A command from a third-party publisher: the run document does not exist yet, so create it here with the same
    /// rules as the gateway (<see cref="RunScopeCheck"/> on counts); <see cref="QueueAsync"/> then plans it.
    /// </summary>
    private async Task<TestRun> RecordRunFromBusAsync(CreateTestRun command, CancellationToken cancellationToken)
    {
        var now = Clock.Now(time);
        var scope = ContractMapping.ToScope(command.Scope);
        var trigger = string.IsNullOrWhiteSpace(command.Trigger?.Type) ? RunDocuments.CustomTrigger : command.Trigger.Type;
        var (counted, error) = await planLoader.CountAsync(command.OrganizationId, command.WorkflowId, scope, limits.Value.MaxTestsPerRun, cancellationToken);
        var run = counted is null
            ? RunDocuments.Failed(command.RunId, command.OrganizationId, command.WorkflowId, scope, trigger, error!, now)
            : RunDocuments.Pending(command.RunId, command.OrganizationId, counted, trigger, now);
        await runs.InsertRunAsync(run, cancellationToken);
        return run;
    }

    // ---- CancelTestRun -------------------------------------------------------------------------------------------

    public async Task CancelAsync(CancelTestRun command, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var run = await runs.GetRunAsync(command.OrganizationId, command.RunId, cancellationToken);
        if (run is null)
            return;
        if (!RunLifecycle.IsTerminal(run.Status) && await runs.CancelRunAsync(run.Id, command.Reason, Clock.Now(time), cancellationToken) is { } cancelled)
        {
            dispatcher.Stop(cancelled.Id);
            signals.Ended(cancelled);
            await announcer.AnnounceEndAsync(cancelled, publish, cancellationToken);
        }
        else if (await runs.GetRunAsync(run.OrganizationId, run.Id, cancellationToken) is { } ended)
        {
            await AnnounceAbandonedEndAsync(ended, publish, cancellationToken);
        }
    }

    // ---- the fan-in's runs ---------------------------------------------------------------------------------------

    /// <summary>A run as a store write of slot events left it.</summary>
    public async Task OnProgressAsync(RunProgress progress, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        // The batch that started the run announces it; a start it failed to announce is announced by a later event.
        if (progress.StartedNow)
            signals.Started(progress.Run);
        // A run that starts and ends in one batch (a short run) announces its start while its end is worked out (the
        // comparison, the move to completed); its end is announced only once the start was, so subscribers see them in order.
        var startAnnounced = progress.StartedNow || (progress.Run.Status == RunStatus.Running && !progress.Run.StartPublished && IsAbandoned(progress.Run.StartedAt))
            ? announcer.AnnounceStartAsync(progress.Run, publish, cancellationToken)
            : Task.CompletedTask;
        try
        {
            await CompleteIfFinishedAsync(progress.Run, publish, cancellationToken, startAnnounced);
        }
        finally
        {
            // Always observed: a start that failed to be announced fails this call, and the message is retried.
            await startAnnounced;
        }
    }

    /// <summary>Completes the run if every slot has ended and this caller wins the move; announces it once <paramref name="startAnnounced"/> is done.</summary>
    private async Task CompleteIfFinishedAsync(TestRun run, IPublishEndpoint publish, CancellationToken cancellationToken, Task? startAnnounced = null)
    {
        if (!run.Counts.AllTerminal || RunLifecycle.IsTerminal(run.Status))
            return;
        await announcer.WithChangesAsync(run, cancellationToken);
        if (await runs.CompleteRunAsync(run.Id, Clock.Now(time), cancellationToken) is { } completed)
        {
            signals.Ended(completed);
            await (startAnnounced ?? Task.CompletedTask);
            await announcer.AnnounceEndAsync(completed, publish, cancellationToken);
        }
    }

    /// <summary>
    /// Announces an end another caller made, once that caller had time to announce it and did not (it died, or its
    /// publish failed): the one that makes a move announces it, so the others only step in after its publishes timed
    /// out (<see cref="IsAbandoned"/>), and a run is announced twice only when its winner really is gone.
    /// </summary>
    private async Task AnnounceAbandonedEndAsync(TestRun run, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (!RunLifecycle.IsTerminal(run.Status) || run.CompletionPublished)
            return;
        if (IsAbandoned(run.CompletedAt))
            await announcer.AnnounceEndAsync(run, publish, cancellationToken);
        // Otherwise its winner may still be announcing it; the sweeper looks again.
    }

    /// <summary>Whether the caller that made a move at <paramref name="movedAt"/> has had time to announce it (its publishes, each bounded).</summary>
    private bool IsAbandoned(DateTimeOffset? movedAt) => movedAt is not { } at || Clock.Now(time) - at >= bus.Value.PublishTimeout * 2;

    // ---- the sweeper's runs (DESIGN §5 rule 6) -------------------------------------------------------------------

    /// <summary>A run the sweeper found: active with no progress for a whole execution deadline, or ended and unannounced.</summary>
    public async Task SweepAsync(TestRun run, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (RunLifecycle.IsTerminal(run.Status))
        {
            await AnnounceAbandonedEndAsync(run, publish, cancellationToken);
            return;
        }
        if (run is { Status: RunStatus.Queued, TotalTests: 0 })
        {
            await FailEmptyAsync(run, publish, cancellationToken);
            return;
        }
        if (run.Status == RunStatus.Pending)
        {
            // Its CreateTestRun was lost (the gateway could not publish it): send it again; planning is idempotent.
            SweeperLog.CreateResent(logger, run.Id);
            await publisher.Publish(publish, RunCommands.Create(run), cancellationToken);
            return;
        }
        await RecoverStalledTestsAsync(run, publish, cancellationToken);
    }

    private async Task RetryOrLoseAsync(
        IReadOnlyList<TestResult> overdue, ExecutionBacklogState backlogState, DateTimeOffset now, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var resend = new List<TestResult>();
        var lost = new List<SlotEvent>();
        foreach (var slot in overdue)
        {
            if (slot.Attempt >= Options.MaxAttempts)
                lost.Add(SlotFinished.Failed(slot.RunId, slot.Id, now, RunErrorCodes.WorkerLost,
                    $"No worker finished this test within {Options.ExecutionDeadline} on any of {slot.Attempt} attempts."));
            else if (await runs.RequeueSlotAsync(slot.Id, slot.Attempt, now + Options.ExecutionDeadline, cancellationToken) is { } retried
                     && (slot.Status == SlotStatus.Running || backlogState == ExecutionBacklogState.Empty))
                resend.Add(retried);
        }

        SweeperLog.Stalled(logger, overdue[0].RunId, overdue.Count, resend.Count, lost.Count);
        await dispatcher.ResendAsync(resend, cancellationToken);
        if (lost.Count > 0)
        {
            dispatcher.Release(lost);
            var written = await runs.ApplySlotEventsAsync(lost, now, cancellationToken);
            // Each test it ended is logged there (ended in error worker_lost), with the count of the metric.
            signals.TestsEnded(written);
            foreach (var progress in written)
                await OnProgressAsync(progress, publish, cancellationToken);
        }
    }

    /// <summary>
    /// When a test is overdue: an execution deadline after it was last sent or started, or after the broker last came
    /// back from an outage (<see cref="BrokerOutages"/>), and never before the deadline its last attempt was given. A
    /// test not sent yet waits for a place in its organization's window; its clock has not started (null).
    /// </summary>
    private DateTimeOffset? DueAt(TestResult slot)
    {
        var sentAt = dispatcher.SentAt(slot.Id);
        if (slot.Status == SlotStatus.Queued && sentAt is null)
            return null;
        return new[] { sentAt, slot.StartedAt, outages.LastBackAt }.Max() is { } since
            ? Max(slot.Deadline, since + Options.ExecutionDeadline)
            : slot.Deadline;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>
    /// The tests of a stalled run whose deadline passed. Each has <see cref="OrchestratorOptions.MaxAttempts"/> deadlines
    /// to finish; out of attempts, it ends in error (<c>worker_lost</c>), which a late result from its worker still
    /// replaces while the run is active. A new attempt is sent again to workers, unless its message must still be in
    /// the broker: a test started by a worker is sent again (that worker may be gone; if it was only slow, the second
    /// result is a no-op), a test sent but not started only when no execution waits in the work queue any more (then
    /// its message was lost; otherwise a worker takes it in turn, and sending it again would only run it twice). While
    /// the broker does not answer, or no worker consumes executions, nothing is decided: an outage is not the tests'
    /// fault, and they wait for it to end.
    /// </summary>
    private async Task RecoverStalledTestsAsync(TestRun run, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var now = Clock.Now(time);
        var overdue = (await runs.GetActiveSlotsAsync(run.Id, cancellationToken)).Where(slot => DueAt(slot) <= now).ToList();
        if (overdue.Count > 0)
        {
            var backlogState = await backlog.GetStateAsync(cancellationToken);
            if (!outages.WorkFlows || backlogState is ExecutionBacklogState.Unknown or ExecutionBacklogState.NoWorkers)
            {
                SweeperLog.Waiting(logger, run.Id, backlogState);
                return;
            }
            await RetryOrLoseAsync(overdue, backlogState, now, publish, cancellationToken);
        }
        // A dispatcher that lost track of the run (its process restarted, or a send failed) takes it up again.
        if (!dispatcher.IsSending(run.Id))
            dispatcher.Send(run);
        if (await runs.ReconcileCountsAsync(run.Id, cancellationToken) is { } reconciled)
        {
            SweeperLog.Reconciled(logger, run.Id, reconciled.Counts.Terminal, reconciled.TotalTests);
            await CompleteIfFinishedAsync(reconciled, publish, cancellationToken);
        }
    }
}
