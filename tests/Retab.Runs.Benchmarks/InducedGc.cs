using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace Retab.Runs.Benchmarks;

/// <summary>What the runtime of the other process reported about the collection it was asked for.</summary>
/// <param name="HeapBytesAfter">Managed heap (all generations, LOH and POH, free space in them included) after the collection, from GCHeapStats; -1 if not seen.</param>
/// <param name="LohBytesAfter">Of which the large object heap (objects of 85,000 bytes and more, never compacted by default).</param>
/// <param name="Heaps">GC heaps (1 with workstation GC; with Server GC, the heaps in use, which DATAS varies); 0 if not seen.</param>
public sealed record InducedCollection(long GcNumber, int Generation, string Reason, string Type, long HeapBytesAfter, long LohBytesAfter, int Heaps);

/// <summary>
/// A full blocking collection in another .NET process, forced from outside as dotnet-gcdump forces one: opening an
/// EventPipe session whose runtime provider has the GCHeapCollect keyword makes the runtime collect once. The same
/// session carries the GC keyword, so the collection is confirmed by the runtime's own GCStart/GCEnd events rather
/// than assumed, and its heap size after the collection comes with it.
/// </summary>
public static class InducedGc
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000;

    /// <exception cref="InvalidOperationException">No induced full collection was reported within <paramref name="timeout"/>.</exception>
    public static async Task<InducedCollection> CollectAsync(int processId, TimeSpan timeout)
    {
        var client = new DiagnosticsClient(processId);
        var provider = new EventPipeProvider(RuntimeProvider, EventLevel.Informational, GcKeyword | GcHeapCollectKeyword);
        using var session = await client.StartEventPipeSessionAsync([provider], requestRundown: false, circularBufferMB: 16, CancellationToken.None);
        using var source = new EventPipeEventSource(session.EventStream);

        var seen = new CollectionEvents();
        source.Clr.GCStart += e =>
        {
            // GCHeapCollect asks for a full collection; a background gen-2 collection that was already running is not it.
            if (seen.Start is null && e.Depth == 2 && e.Reason.ToString().StartsWith("Induced", StringComparison.Ordinal))
                seen.Start = (e.Count, e.Depth, e.Reason.ToString(), e.Type.ToString());
        };
        source.Clr.GCGlobalHeapHistory += e =>
        {
            if (seen.Start is not null)
                seen.Heaps = e.NumHeaps;
        };
        source.Clr.GCHeapStats += e =>
        {
            if (seen.Start is not null && seen.HeapBytesAfter < 0)
            {
                seen.HeapBytesAfter = e.TotalHeapSize;
                seen.LohBytesAfter = e.GenerationSize3;
            }
            seen.CompleteIfDone();
        };
        source.Clr.GCStop += e =>
        {
            if (seen.Start is { } start && e.Count == start.Count)
                seen.Ended = true;
            seen.CompleteIfDone();
        };
        var reading = Task.Run(() => source.Process());

        await Task.WhenAny(seen.Done.Task, Task.Delay(timeout));
        // GCHeapStats normally follows GCEnd at once; give it a moment more if the end arrived alone.
        if (seen.Ended && seen.HeapBytesAfter < 0)
            await Task.WhenAny(seen.Done.Task, Task.Delay(TimeSpan.FromSeconds(1)));
        await Task.Run(session.Stop);
        await reading;

        if (seen.Start is not { } gc || !seen.Ended)
            throw new InvalidOperationException($"Process {processId} reported no induced full collection within {timeout.TotalSeconds:0} s (start seen: {seen.Start is not null}).");
        return new InducedCollection(gc.Count, gc.Depth, gc.Reason, gc.Type, seen.HeapBytesAfter, seen.LohBytesAfter, seen.Heaps);
    }

    /// <summary>The induced collection's events as they arrive (all on TraceEvent's reading thread).</summary>
    private sealed class CollectionEvents
    {
        public (long Count, int Depth, string Reason, string Type)? Start;
        public bool Ended;
        public long HeapBytesAfter = -1;
        public long LohBytesAfter = -1;
        public int Heaps;
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void CompleteIfDone()
        {
            if (Ended && HeapBytesAfter >= 0)
                Done.TrySetResult();
        }
    }
}
