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

namespace Retab.Runs.Orchestrator;

/// <summary>
/// The run saga: every move of a run, in one place. Read this first. The allowed moves are declared in
/// <see cref="RunLifecycle"/>; each row below is one event, the state it applies in, the store call that makes the move
/// (a guarded, atomic update: of concurrent callers exactly one wins), and what follows.
/// <code>
/// event                        | run is            | store call                      | then
/// -----------------------------+-------------------+---------------------------------+-------------------------------------
/// CreateTestRun                | absent (bus)      | InsertRun pending, or error     | as below
/// CreateTestRun                | pending           | QueuePlannedRun, or FailRun     | dispatch; complete an empty run; announce a failure
/// CreateTestRun (redelivered)  | queued / running  | —                               | resume the fan-out (dispatch again)
/// CreateTestRun (redelivered)  | ended, unannounced| —                               | announce the end
/// CancelTestRun                | active            | CancelRun                       | stop dispatching; announce cancelled
/// slot events (fan-in)         | queued / running  | ApplySlotEvents (ResultFolding) | queued → running: announce started
/// every slot ended             | queued / running  | CompleteRun                     | announce completed
/// swept: never planned         | pending, stalled  | —                               | re-send CreateTestRun
/// swept: tests overdue         | queued / running  | RequeueSlot, or worker_lost     | re-send the lost ones; reconcile; complete
/// swept: end unannounced       | ended             | MarkCompletionPublished         | announce the end again (same message id)
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
    BoundedPublisher publisher,
    IOptions<OrchestratorOptions> options,
    IOptions<ServiceLimits> limits,
    TimeProvider time,
    ILogger<RunSaga> logger)
{
    private OrchestratorOptions Options => options.Value;

    // ---- CreateTestRun -------------------------------------------------------------------------------------------

    public async Task CreateAsync(CreateTestRun command, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var run = await runs.GetRunAsync(command.OrganizationId, command.RunId, cancellationToken)
                  ?? await RecordRunFromBusAsync(command, cancellationToken);
        switch (run.Status)
        {
            case RunStatus.Pending:
                if (await QueueAsync(run, publish, cancellationToken) is { } queued)
                {
                    dispatcher.Send(queued);
                    await CompleteIfFinishedAsync(queued, publish, cancellationToken);
                }
                break;
            case RunStatus.Queued or RunStatus.Running:
                // A redelivery after the orchestrator died mid fan-out: the slots exist (their ids derive from run and
                // test), so sending resumes from the first queued one. A run already being sent is left alone.
                if (!dispatcher.IsSending(run.Id))
                    dispatcher.Send(run);
                break;
            default:
                if (!run.CompletionPublished)
                    await announcer.AnnounceEndAsync(run, publish, cancellationToken);
                break;
        }
    }

    /// <summary>
    /// Plans the run and stores its slots. A method of its own so the plan (every test of the run with its inputs:
    /// several hundred megabytes at 100,000 tests) is garbage by the time the slots go out, while results pour in.
    /// </summary>
    private async Task<TestRun?> QueueAsync(TestRun run, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var now = Clock.Now(time);
        var (plan, error) = await planLoader.LoadAsync(run.OrganizationId, run.WorkflowId, run.Scope, limits.Value.MaxTestsPerRun, cancellationToken);
        if (plan is null)
        {
            // The tests or the workflow changed between the gateway's plan and this one.
            if (await runs.FailRunAsync(run.Id, error!, now, cancellationToken) is { } failed)
                await announcer.AnnounceEndAsync(failed, publish, cancellationToken);
            return null;
        }
        return await runs.QueuePlannedRunAsync(run.Id, ResultSlots.Create(run, plan, now, Options.ExecutionDeadline), now, cancellationToken);
    }

    /// <summary>A command from a third-party publisher: the run document does not exist yet, so create it here with the same rules as the gateway.</summary>
    private async Task<TestRun> RecordRunFromBusAsync(CreateTestRun command, CancellationToken cancellationToken)
    {
        var now = Clock.Now(time);
        var scope = ContractMapping.ToScope(command.Scope);
        var trigger = string.IsNullOrWhiteSpace(command.Trigger?.Type) ? RunDocuments.CustomTrigger : command.Trigger.Type;
        var (plan, error) = await planLoader.LoadAsync(command.OrganizationId, command.WorkflowId, scope, limits.Value.MaxTestsPerRun, cancellationToken);
        var run = plan is null
            ? RunDocuments.Failed(command.RunId, command.OrganizationId, command.WorkflowId, scope, trigger, error!, now)
            : RunDocuments.Pending(command.RunId, command.OrganizationId, plan, scope, trigger, now);
        await runs.InsertRunAsync(run, cancellationToken);
        return run;
    }

    // ---- CancelTestRun -------------------------------------------------------------------------------------------

    public async Task CancelAsync(CancelTestRun command, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var run = await runs.GetRunAsync(command.OrganizationId, command.RunId, cancellationToken);
        if (run is null)
            return;
        if (!RunLifecycle.IsTerminal(run.Status))
            run = await runs.CancelRunAsync(run.Id, command.Reason, Clock.Now(time), cancellationToken) ?? run;
        if (run.Status == RunStatus.Cancelled)
            dispatcher.Stop(run.Id);
        if (RunLifecycle.IsTerminal(run.Status) && !run.CompletionPublished)
            await announcer.AnnounceEndAsync(run, publish, cancellationToken);
    }

    // ---- the fan-in's runs ---------------------------------------------------------------------------------------

    /// <summary>A run as a store write of slot events left it.</summary>
    public async Task OnProgressAsync(RunProgress progress, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (progress.StartedNow)
            await announcer.AnnounceStartAsync(progress.Run, publish, cancellationToken);
        await CompleteIfFinishedAsync(progress.Run, publish, cancellationToken);
    }

    /// <summary>Completes the run if every slot has ended and this caller wins the move.</summary>
    private async Task CompleteIfFinishedAsync(TestRun run, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (!run.Counts.AllTerminal || RunLifecycle.IsTerminal(run.Status))
            return;
        if (await runs.CompleteRunAsync(run.Id, Clock.Now(time), cancellationToken) is { } completed)
            await announcer.AnnounceEndAsync(completed, publish, cancellationToken);
    }

    // ---- the sweeper's runs (DESIGN §5 rule 6) -------------------------------------------------------------------

    /// <summary>A run the sweeper found: active with no progress for a whole execution deadline, or ended and unannounced.</summary>
    public async Task SweepAsync(TestRun run, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (RunLifecycle.IsTerminal(run.Status))
        {
            await announcer.AnnounceEndAsync(run, publish, cancellationToken);
            return;
        }
        if (run.Status == RunStatus.Pending)
        {
            // Its CreateTestRun was lost (the gateway could not publish it): send it again; planning is idempotent.
            logger.LogWarning("Run {RunId} stayed pending; re-sending CreateTestRun", run.Id);
            await publisher.Publish(publish, RunCommands.Create(run), cancellationToken);
            return;
        }
        await RecoverStalledTestsAsync(run, publish, cancellationToken);
    }

    /// <summary>
    /// The tests of a stalled run whose deadline passed. Each has <see cref="OrchestratorOptions.MaxAttempts"/> deadlines
    /// to finish; out of attempts, it ends in error (<c>worker_lost</c>), which a late result from its worker still
    /// replaces while the run is active. A new attempt is sent again to workers, unless its message must still be in
    /// the broker: a test started by a worker is sent again (that worker may be gone; if it was only slow, the second
    /// result is a no-op), a test sent but not started only when no execution waits in the work queue any more (then
    /// its message was lost; otherwise a worker takes it in turn, and sending it again would only run it twice). While
    /// the broker does not answer nothing is decided: an outage is not the workers' fault.
    /// </summary>
    private async Task RecoverStalledTestsAsync(TestRun run, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var now = Clock.Now(time);
        // Tests not sent yet wait for their turn in the dispatcher's window; their deadline is not running.
        var overdue = (await runs.GetActiveSlotsAsync(run.Id, cancellationToken))
            .Where(slot => slot.Deadline <= now && (slot.Status == SlotStatus.Running || dispatcher.IsInFlight(slot.Id)))
            .ToList();
        var backlogState = overdue.Count == 0 ? ExecutionBacklogState.Empty : await backlog.GetStateAsync(cancellationToken);
        if (backlogState == ExecutionBacklogState.Unknown)
        {
            logger.LogWarning("Run {RunId} stalled while the broker does not answer; deciding nothing until it does", run.Id);
            return;
        }

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

        logger.LogWarning("Run {RunId} stalled: {Overdue} tests overdue, {Resent} sent again, {Lost} lost", run.Id, overdue.Count, resend.Count, lost.Count);
        await dispatcher.ResendAsync(resend, cancellationToken);
        if (lost.Count > 0)
        {
            dispatcher.Release(lost);
            foreach (var progress in await runs.ApplySlotEventsAsync(lost, now, cancellationToken))
                await OnProgressAsync(progress, publish, cancellationToken);
        }
        // A dispatcher that lost track of the run (its process restarted, or a send failed) takes it up again.
        if (!dispatcher.IsSending(run.Id))
            dispatcher.Send(run);
        if (await runs.ReconcileCountsAsync(run.Id, cancellationToken) is { } reconciled)
            await CompleteIfFinishedAsync(reconciled, publish, cancellationToken);
    }
}
