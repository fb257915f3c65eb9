namespace Retab.Runs.Core.Results;

/// <summary>
/// Shrinks a batch of slot events before it is written. A worker reports Started and Finished for the same test a few
/// milliseconds apart, so under load both often land in one batch. A Started followed in the batch by a worker's
/// Finished for the same slot is folded into that Finished (its start time and worker), which leaves the slot and the
/// counts exactly as applying both in order would, with one write instead of two.
/// </summary>
public static class SlotEventCoalescing
{
    public static IReadOnlyList<SlotEvent> Coalesce(IReadOnlyList<SlotEvent> events)
    {
        var lastWorkerFinish = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is SlotFinished { WorkerId: not null } finish)
                lastWorkerFinish[finish.ResultId] = i;
        }
        if (lastWorkerFinish.Count == 0)
            return events;

        var pendingStarts = new Dictionary<string, SlotStarted>(StringComparer.Ordinal);
        var coalesced = new List<SlotEvent>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            switch (events[i])
            {
                // Only the first Started can move the slot; later ones in front of the same Finished are no-ops.
                case SlotStarted start when lastWorkerFinish.TryGetValue(start.ResultId, out var finishAt) && finishAt > i:
                    pendingStarts.TryAdd(start.ResultId, start);
                    break;
                case SlotFinished { WorkerId: not null } finish when pendingStarts.Remove(finish.ResultId, out var start):
                    // Finish keeps a slot's own start time if it has one, else takes the event's: the Started's time.
                    coalesced.Add(finish with { StartedAt = start.At });
                    break;
                case SlotFinished other when pendingStarts.Remove(other.ResultId, out var start):
                    // Another ending (the sweeper's, a fault's) comes first: the Started must still apply before it.
                    coalesced.Add(start);
                    coalesced.Add(other);
                    break;
                default:
                    coalesced.Add(events[i]);
                    break;
            }
        }
        return coalesced;
    }
}
