using MassTransit;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Orchestrator;

/// <summary>
/// Ends runs and tells the world. Only the caller whose conditional update moved the run to a terminal state
/// announces it; if the process dies before <c>completion_published</c> is set, the sweeper announces it again
/// (subscribers dedupe by run id).
/// </summary>
public sealed class RunAnnouncer(IRunStore runs, TimeProvider time)
{
    /// <summary>Completes the run if every slot is terminal and this caller wins the transition.</summary>
    public async Task CompleteIfFinishedAsync(TestRun run, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (!run.Counts.AllTerminal || RunLifecycle.IsTerminal(run.Status))
            return;
        if (await runs.CompleteRunAsync(run.Id, Clock.Now(time), cancellationToken) is { } completed)
            await AnnounceEndAsync(completed, publish, cancellationToken);
    }

    public async Task AnnounceEndAsync(TestRun run, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (run.Status == RunStatus.Cancelled)
            await publish.Publish(new TestRunCancelled { RunId = run.Id, OrganizationId = run.OrganizationId, Reason = run.CancelReason }, cancellationToken);
        await publish.Publish(ContractMapping.ToCompletedEvent(run), cancellationToken);
        await runs.MarkCompletionPublishedAsync(run.Id, cancellationToken);
    }

    public Task AnnounceStartAsync(TestRun run, IPublishEndpoint publish, CancellationToken cancellationToken) =>
        publish.Publish(new TestRunStarted
        {
            RunId = run.Id,
            OrganizationId = run.OrganizationId,
            WorkflowId = run.WorkflowId,
            StartedAt = run.StartedAt ?? Clock.Now(time),
        }, cancellationToken);
}
