using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Orchestrator;

/// <summary>
/// Finds runs that stopped moving (DESIGN §5 rule 6): re-sends executions nobody picked up, ends slots whose
/// deadline passed in <c>error</c> (<c>worker_lost</c>), reconciles counts from the slots, and announces
/// terminal runs whose announcement was lost.
/// </summary>
public sealed class RunSweeper(
    IRunStore runs,
    ResultFolding folding,
    RunDispatcher dispatcher,
    RunAnnouncer announcer,
    IBus bus,
    IOptions<OrchestratorOptions> options,
    TimeProvider time,
    ILogger<RunSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(error, "Sweep failed; retrying at the next interval");
            }
        }
    }

    public async Task SweepOnceAsync(CancellationToken cancellationToken)
    {
        var now = Clock.Now(time);
        foreach (var run in await runs.FindRunsNeedingAttentionAsync(now - options.Value.ExecutionDeadline, 100, cancellationToken))
        {
            if (RunLifecycle.IsTerminal(run.Status))
                await announcer.AnnounceEndAsync(run, bus, cancellationToken);
            else if (run.Status == RunStatus.Pending)
                await ResendCreateAsync(run, cancellationToken);
            else
                await RecoverSlotsAsync(run, now, cancellationToken);
        }
    }

    /// <summary>A pending run that never got planned: its <c>CreateTestRun</c> was lost, so send it again (planning is idempotent).</summary>
    private Task ResendCreateAsync(TestRun run, CancellationToken cancellationToken)
    {
        logger.LogWarning("Run {RunId} stayed pending; re-sending CreateTestRun", run.Id);
        return bus.Publish(new CreateTestRun
        {
            RunId = run.Id,
            OrganizationId = run.OrganizationId,
            WorkflowId = run.WorkflowId,
            Scope = ContractMapping.ToMessage(run.Scope),
            Trigger = new RunTrigger(run.TriggerType),
            RequestedAt = run.CreatedAt,
        }, cancellationToken);
    }

    private async Task RecoverSlotsAsync(TestRun run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var resend = new List<TestResult>();
        var lost = new List<SlotEvent>();
        foreach (var slot in await runs.GetActiveSlotsAsync(run.Id, cancellationToken))
        {
            if (slot.Deadline > now)
                continue;
            if (slot.Status == SlotStatus.Queued && slot.Attempt < options.Value.MaxAttempts
                && await runs.RequeueSlotAsync(slot.Id, slot.Attempt, now + options.Value.ExecutionDeadline, cancellationToken) is { } requeued)
                resend.Add(requeued);
            else
                lost.Add(SlotFinished.Failed(slot.RunId, slot.Id, now, RunErrorCodes.WorkerLost,
                    $"No worker finished this test within {options.Value.ExecutionDeadline} (attempt {slot.Attempt})."));
        }

        logger.LogWarning("Run {RunId} stalled: re-sending {Resent} tests, {Lost} lost", run.Id, resend.Count, lost.Count);
        await folding.ApplyAsync(lost, bus, cancellationToken);
        // The tests it had out are presumed lost, so they stop holding places in their organization's window; the
        // dispatcher sends the run again from its first queued slot (a test that was merely slow finishes twice: a no-op).
        if (resend.Count > 0 || !dispatcher.IsSending(run.Id))
            dispatcher.Send(run);
        if (await runs.ReconcileCountsAsync(run.Id, cancellationToken) is { } reconciled)
            await announcer.CompleteIfFinishedAsync(reconciled, bus, cancellationToken);
    }
}
