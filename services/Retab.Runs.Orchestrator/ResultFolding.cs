using MassTransit;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Orchestrator;

/// <summary>
/// The fan-in: applies a batch of slot events with one store write, then starts and completes the runs they touched.
/// Duplicates and late events are no-ops in the store, so redelivery is harmless.
/// </summary>
public sealed class ResultFolding(IRunStore runs, RunAnnouncer announcer, TimeProvider time)
{
    public async Task ApplyAsync(IReadOnlyList<SlotEvent> events, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
            return;
        foreach (var progress in await runs.ApplySlotEventsAsync(events, Clock.Now(time), cancellationToken))
        {
            if (progress.StartedNow)
                await announcer.AnnounceStartAsync(progress.Run, publish, cancellationToken);
            await announcer.CompleteIfFinishedAsync(progress.Run, publish, cancellationToken);
        }
    }
}
