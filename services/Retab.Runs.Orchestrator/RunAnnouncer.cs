using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Comparisons;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator;

/// <summary>
/// Tells the world about a run's moves. An end is announced by whoever made it (the caller whose conditional update
/// won), and again by the sweeper if the process died before <c>completion_published</c> was set: every announcement of
/// one fact carries the same message id (derived from the run id), so subscribers can drop the repeats.
/// </summary>
public sealed class RunAnnouncer(IRunStore runs, RunComparer comparer, BoundedPublisher publisher, TimeProvider time)
{
    public async Task AnnounceEndAsync(TestRun run, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        run = await WithChangesAsync(run, cancellationToken) ?? run;
        if (run.Status == RunStatus.Cancelled)
            await publisher.Publish(publish, new TestRunCancelled { RunId = run.Id, OrganizationId = run.OrganizationId, Reason = run.CancelReason },
                MessageId(run.Id, "cancelled"), cancellationToken);
        await publisher.Publish(publish, ContractMapping.ToCompletedEvent(run), MessageId(run.Id, "ended"), cancellationToken);
        await runs.MarkCompletionPublishedAsync(run.Id, cancellationToken);
    }

    /// <summary>
    /// Records a run's regressions and fixes against its previous run, once per run, at its end: the saga calls it when
    /// every slot has ended, just before the move to completed (so the completed run is never seen without them), and
    /// the announcement again for a run completed without them. Both runs' results are read a page at a time.
    /// Null when there is nothing to record (not ending in completed, already recorded, no previous run).
    /// </summary>
    public async Task<TestRun?> WithChangesAsync(TestRun run, CancellationToken cancellationToken)
    {
        if (run.Status is RunStatus.Error or RunStatus.Cancelled || run.BaselineRunId is not null)
            return null;
        if (await runs.FindPreviousCompletedRunAsync(run, cancellationToken) is not { } previous)
            return null;
        var summary = await comparer.SummarizeAsync(run.OrganizationId, run.Id, previous.Id, cancellationToken);
        return await runs.RecordChangesAsync(run.Id, previous.Id, summary.Regressed, summary.Fixed, cancellationToken);
    }

    public async Task AnnounceStartAsync(TestRun run, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        await publisher.Publish(publish, new TestRunStarted
        {
            RunId = run.Id,
            OrganizationId = run.OrganizationId,
            WorkflowId = run.WorkflowId,
            StartedAt = run.StartedAt ?? Clock.Now(time),
        }, MessageId(run.Id, "started"), cancellationToken);
        await runs.MarkStartPublishedAsync(run.Id, cancellationToken);
    }

    /// <summary>A stable id for one fact about one run.</summary>
    public static Guid MessageId(string runId, string fact) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{runId}/{fact}")).AsSpan(0, 16));
}
