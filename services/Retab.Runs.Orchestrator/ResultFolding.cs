using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Messaging.Observability;
using Submission = Retab.Runs.Core.Common.GroupCommit<
    System.Collections.Generic.IReadOnlyList<Retab.Runs.Core.Results.SlotEvent>,
    System.Collections.Generic.IReadOnlyList<Retab.Runs.Core.Stores.RunProgress>>.Pending;

namespace Retab.Runs.Orchestrator;

/// <summary>
/// The fan-in, by <see cref="GroupCommit{TItem,TResult}"/>: one writer applies slot events to the store, and every
/// event that arrives while a write is in progress goes into the next one. An idle orchestrator writes a lone event at
/// once (no batching window on the latency path); a busy one writes up to <see cref="OrchestratorOptions.ResultBatchSize"/> events with one
/// store write and one count change per run (DESIGN §4). Callers wait for the write that holds their events, so a
/// message is acknowledged only once its event is stored. Duplicates and late events are no-ops in the store, so
/// redelivery is harmless. A batch whose write fails is taken apart so that one event never fails the others
/// (DESIGN §7, see <see cref="WriteAsync"/>): a result too large to store becomes an error result of its own, and only a
/// submission the store still refuses on its own is failed back to its consumer, to be retried.
/// </summary>
public sealed partial class ResultFolding(
    IRunStore runs,
    RunSaga saga,
    RunDispatcher dispatcher,
    IOptions<OrchestratorOptions> options,
    TimeProvider time,
    RunSignals signals,
    ILogger<ResultFolding> logger) : BackgroundService
{
    private readonly GroupCommit<IReadOnlyList<SlotEvent>, IReadOnlyList<RunProgress>> _submissions =
        new(options.Value.ResultBatchSize, events => events.Count);

    public async Task ApplyAsync(IReadOnlyList<SlotEvent> events, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
            return;
        var written = await _submissions.SubmitAsync(events, cancellationToken);
        dispatcher.Release(events);
        foreach (var progress in written)
            await saga.OnProgressAsync(progress, publish, cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _submissions.RunAsync(WriteAsync, stoppingToken);

    /// <summary>Answers the callers of a part that was written.</summary>
    private static void Acknowledge(IReadOnlyList<Submission> part, IReadOnlyList<RunProgress> progress)
    {
        // Each run goes back to one caller only (the first whose events name it), so one caller announces it,
        // not every message of the part.
        var unclaimed = progress.ToDictionary(p => p.Run.Id, StringComparer.Ordinal);
        foreach (var submission in part)
        {
            var claimed = new List<RunProgress>();
            foreach (var runId in submission.Item.Select(e => e.RunId).Distinct())
            {
                if (unclaimed.Remove(runId, out var run))
                    claimed.Add(run);
            }
            submission.Complete(claimed);
        }
    }

    /// <summary>Every message of the part is retried by its consumer; re-applying the events that did land is a no-op.</summary>
    private static void Fail(IReadOnlyList<Submission> part, Exception error)
    {
        foreach (var submission in part)
            submission.Fail(error);
    }
}
