using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using static Retab.Runs.Core.Tests.Domain.DomainBuilders;

namespace Retab.Runs.Core.Tests.Domain;

public class SlotEventCoalescingTests
{
    public static TheoryData<SlotStatus, string> Batches()
    {
        var data = new TheoryData<SlotStatus, string>();
        foreach (var status in Enum.GetValues<SlotStatus>())
        {
            // S = the worker's Started, F = its Finished, E = an error Finished with no worker (sweeper, fault).
            foreach (var sequence in new[] { "SF", "FS", "SSF", "SFF", "SFS", "SE", "ES", "SEF", "S", "F", "SFSF" })
                data.Add(status, sequence);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Batches))]
    public void Applying_the_coalesced_batch_leaves_the_slot_and_counts_as_applying_every_event_in_order(SlotStatus status, string sequence)
    {
        var slot = SlotIn(status);
        var events = sequence.Select((kind, i) => Event(slot, kind, i)).ToList();

        var coalesced = SlotEventCoalescing.Coalesce(events);

        var (expectedSlot, expectedCounts) = ApplyInOrder(slot, events);
        var (actualSlot, actualCounts) = ApplyInOrder(slot, coalesced);
        Assert.Equal(expectedSlot, actualSlot);
        Assert.Equal(expectedCounts, actualCounts);
    }

    [Fact]
    public void A_started_followed_by_its_workers_finished_becomes_one_event_with_the_start_time()
    {
        var slot = Slot();
        var started = Started(slot, T0.AddSeconds(1), "worker-2");
        var finished = Finished(slot, at: T0.AddSeconds(3), startedAt: T0.AddSeconds(1));

        var coalesced = SlotEventCoalescing.Coalesce([started, finished]);

        var single = Assert.IsType<SlotFinished>(Assert.Single(coalesced));
        Assert.Equal(T0.AddSeconds(1), single.StartedAt);
        Assert.Equal(finished.Verdict, single.Verdict);
    }

    [Fact]
    public void Events_of_other_slots_are_kept_in_their_order()
    {
        var a = Slot();
        var b = Slot();
        List<SlotEvent> events = [Started(a), Started(b), Finished(a)];

        var coalesced = SlotEventCoalescing.Coalesce(events);

        Assert.Equal(2, coalesced.Count);
        Assert.Same(events[1], coalesced[0]);
        Assert.Equal(a.Id, coalesced[1].ResultId);
    }

    [Fact]
    public void A_batch_without_a_workers_finished_is_returned_as_is()
    {
        var slot = Slot();
        List<SlotEvent> events = [Started(slot), Finished(slot) with { WorkerId = null }];
        Assert.Same(events, SlotEventCoalescing.Coalesce(events));
    }

    /// <summary>A slot as the transitions leave it: one that ran has its start time.</summary>
    private static TestResult SlotIn(SlotStatus status)
    {
        var queued = Slot();
        return status switch
        {
            SlotStatus.Running => SlotTransitions.Apply(queued, Started(queued, T0.AddSeconds(1)), runIsActive: true)!.Slot,
            SlotStatus.Completed or SlotStatus.Error => queued with { Status = status, StartedAt = T0.AddSeconds(1), CompletedAt = T0.AddSeconds(2) },
            _ => queued with { Status = status },
        };
    }

    private static SlotEvent Event(TestResult slot, char kind, int position)
    {
        var at = T0.AddSeconds(10 + position);
        return kind switch
        {
            'S' => Started(slot, at, $"worker-{position}"),
            'F' => Finished(slot, at: at, startedAt: at.AddMilliseconds(-500)),
            'E' => SlotFinished.Failed(slot.RunId, slot.Id, at, "worker_lost", "gone"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static (TestResult Slot, RunCounts Counts) ApplyInOrder(TestResult slot, IEnumerable<SlotEvent> events)
    {
        var counts = new RunCounts();
        foreach (var slotEvent in events)
        {
            if (SlotTransitions.Apply(slot, slotEvent, runIsActive: true) is not { } change)
                continue;
            slot = change.Slot;
            counts = counts.Plus(change.CountDelta);
        }
        return (slot, counts);
    }
}
