using System.Collections.Concurrent;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.Tests;

/// <summary>DESIGN §5 fan-in under load: concurrent, duplicated, reordered events still leave counts equal to the slots.</summary>
public abstract partial class RunStoreContract
{
    private const int Parallelism = 32;

    /// <summary>What slot i ends as: every tenth slot is lost by the infrastructure, the rest cycle through the verdicts.</summary>
    private static (SlotStatus Outcome, Verdict? Verdict) PlannedEnd(int i) =>
        i % 10 == 9 ? (SlotStatus.Error, null) : (SlotStatus.Completed, (Verdict)(i % 3));

    /// <summary>Each event delivered 2 or 3 times, all shuffled, cut into batches of 1–25.</summary>
    private static ConcurrentQueue<List<SlotEvent>> DuplicatedShuffledBatches(IEnumerable<SlotEvent> events, Random random)
    {
        var deliveries = events.SelectMany(e => Enumerable.Repeat(e, 2 + random.Next(2))).OrderBy(_ => random.Next()).ToList();
        var batches = new List<List<SlotEvent>>();
        for (var i = 0; i < deliveries.Count;)
        {
            var size = 1 + random.Next(25);
            batches.Add(deliveries.Skip(i).Take(size).ToList());
            i += size;
        }
        return QueueOf(batches);
    }

    private async Task<List<RunProgress>> DrainAsync(ConcurrentQueue<List<SlotEvent>> batches, int parallelism, Func<int, DateTimeOffset> clock)
    {
        var progress = new ConcurrentBag<RunProgress>();
        await InParallelAsync(parallelism, async worker =>
        {
            var n = 0;
            while (batches.TryDequeue(out var batch))
                foreach (var p in await Runs.ApplySlotEventsAsync(batch, clock(n++)))
                    progress.Add(p);
            return n;
        });
        return progress.ToList();
    }

    [Fact]
    public async Task Counts_stay_exact_under_32_way_concurrent_duplicated_reordered_events()
    {
        const int total = 500;
        var random = new Random(20250301);
        var (run, slots) = await QueueRunAsync(total);

        var events = new List<SlotEvent>();
        for (var i = 0; i < total; i++)
        {
            var (outcome, verdict) = PlannedEnd(i);
            events.Add(Started(slots[i], T0.AddSeconds(1)));
            events.Add(Finished(slots[i], verdict, outcome, T0.AddSeconds(2)));
        }

        var progress = await DrainAsync(DuplicatedShuffledBatches(events, random), Parallelism, n => T0.AddSeconds(3 + n));

        var stored = await AllSlotsAsync(run);
        Assert.Equal(total, stored.Count);
        var byId = stored.ToDictionary(s => s.Id);
        for (var i = 0; i < total; i++)
        {
            var (outcome, verdict) = PlannedEnd(i);
            Assert.Equal(outcome, byId[slots[i].Id].Status);
            Assert.Equal(verdict, byId[slots[i].Id].Verdict);
        }

        var expected = new RunCounts(
            Completed: Enumerable.Range(0, total).Count(i => PlannedEnd(i).Outcome == SlotStatus.Completed),
            Error: Enumerable.Range(0, total).Count(i => PlannedEnd(i).Outcome == SlotStatus.Error),
            Passed: Enumerable.Range(0, total).Count(i => PlannedEnd(i).Verdict == Verdict.Passed),
            Failed: Enumerable.Range(0, total).Count(i => PlannedEnd(i).Verdict == Verdict.Failed),
            Blocked: Enumerable.Range(0, total).Count(i => PlannedEnd(i).Verdict == Verdict.Blocked));
        var final = await RunAsync(run);
        Assert.Equal(expected, final.Counts);
        Assert.Equal(CountsOf(stored), final.Counts);
        Assert.Equal(total, final.TotalTests);
        Assert.Equal(RunStatus.Running, final.Status);
        Assert.Single(progress, p => p.StartedNow);
        Assert.All(progress, p => Assert.Equal(total, p.Run.Counts.Total));

        // Once everything is terminal, exactly one of many concurrent completers wins.
        var completions = await InParallelAsync(Parallelism, i => Runs.CompleteRunAsync(run.Id, T0.AddMinutes(1).AddMilliseconds(i)));
        var winner = Assert.Single(completions, c => c is not null);
        Assert.Equal(RunStatus.Completed, winner!.Status);
        var completed = await RunAsync(run);
        Assert.Equal(RunStatus.Completed, completed.Status);
        Assert.Equal(winner.CompletedAt, completed.CompletedAt);
        Assert.Equal(expected, completed.Counts);
    }

    [Fact]
    public async Task Only_one_of_32_concurrent_completers_wins()
    {
        var (run, slots) = await QueueRunAsync(10);
        await Runs.ApplySlotEventsAsync(slots.Select(s => (SlotEvent)Finished(s)).ToList(), T0.AddSeconds(1));

        var completions = await InParallelAsync(Parallelism, i => Runs.CompleteRunAsync(run.Id, T0.AddSeconds(2).AddMilliseconds(i)));

        Assert.Single(completions, c => c is not null);
        Assert.Equal(RunStatus.Completed, (await RunAsync(run)).Status);
    }

    [Fact]
    public async Task Only_one_of_32_concurrent_cancellers_wins()
    {
        var (run, _) = await QueueRunAsync(10);

        var cancellations = await InParallelAsync(Parallelism, i => Runs.CancelRunAsync(run.Id, $"reason {i}", T0.AddSeconds(2)));

        var winner = Assert.Single(cancellations, c => c is not null);
        var stored = await RunAsync(run);
        Assert.Equal(winner!.CancelReason, stored.CancelReason);
        Assert.Equal(new RunCounts(Cancelled: 10), stored.Counts);
    }

    [Fact]
    public async Task Cancel_racing_a_stream_of_events_still_leaves_counts_equal_to_the_slots()
    {
        const int total = 200;
        var random = new Random(7);
        var (run, slots) = await QueueRunAsync(total);
        var events = slots.SelectMany((s, i) => new SlotEvent[] { Started(s), Finished(s, (Verdict)(i % 3)) });
        var batches = DuplicatedShuffledBatches(events, random);

        var half = batches.Count / 2;
        var stream = DrainAsync(batches, 16, n => T0.AddSeconds(3 + n));
        var cancel = Task.Run(async () =>
        {
            while (batches.Count > half)
                await Task.Delay(1);
            return await Runs.CancelRunAsync(run.Id, "midway", T0.AddSeconds(5));
        });
        await stream;
        var cancelled = await cancel;

        Assert.NotNull(cancelled);
        var stored = await RunAsync(run);
        Assert.Equal(RunStatus.Cancelled, stored.Status);
        Assert.Equal(total, stored.Counts.Total);
        Assert.Equal(0, stored.Counts.Queued + stored.Counts.Running + stored.Counts.Pending);
        await AssertCountsEqualSlotsAsync(run);

        // Redelivering everything once more afterwards changes nothing.
        var countsAfterCancel = stored.Counts;
        await DrainAsync(DuplicatedShuffledBatches(events, random), 8, n => T0.AddSeconds(60 + n));
        Assert.Equal(countsAfterCancel, (await RunAsync(run)).Counts);
        await AssertCountsEqualSlotsAsync(run);
    }

    [Fact]
    public async Task Concurrent_events_for_many_runs_keep_each_runs_counts_exact()
    {
        var random = new Random(99);
        var runs = new List<(TestRun Run, IReadOnlyList<TestResult> Slots)>();
        for (var r = 0; r < 8; r++)
            runs.Add(await QueueRunAsync(25 + r));
        var events = runs.SelectMany(x => x.Slots.SelectMany((s, i) => new SlotEvent[] { Started(s), Finished(s, (Verdict)(i % 3)) }));

        await DrainAsync(DuplicatedShuffledBatches(events, random), Parallelism, n => T0.AddSeconds(3 + n));

        foreach (var (run, slots) in runs)
        {
            var stored = await RunAsync(run);
            Assert.Equal(slots.Count, stored.Counts.Completed);
            Assert.Equal(slots.Count, stored.TotalTests);
            await AssertCountsEqualSlotsAsync(run);
        }
    }
}
