using System.Collections.Concurrent;
using System.Diagnostics;

namespace Retab.Runs.Benchmarks;

/// <summary>
/// Where a run's time goes: listens to the spans of this process (Retab.Runs and MassTransit, which the in-process
/// services create only while someone listens) and reports each operation's count and median duration.
/// </summary>
public sealed class SpanDurations : IDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _durations = new();
    private readonly ActivityListener _listener;

    public SpanDurations()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Retab.Runs", StringComparison.Ordinal) || source.Name.StartsWith("MassTransit", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _durations.GetOrAdd($"{activity.Source.Name}: {activity.DisplayName}", _ => []).Add(activity.Duration.TotalMilliseconds),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Forgets what was heard so far (the warm-up's spans).</summary>
    public void Clear() => _durations.Clear();

    /// <summary>One row per operation, the slowest median first.</summary>
    public void AddTo(ScenarioReport report, int runs)
    {
        foreach (var (name, samples) in _durations.Select(kv => (kv.Key, kv.Value.Order().ToArray())).OrderByDescending(s => Median(s.Item2)))
            report.Add($"span {name}", Median(samples), "ms", $"median of {samples.Length} ({(double)samples.Length / runs:0.#} per run), p95 {samples[(int)(samples.Length * 0.95)]:0.0} ms");
    }

    public void Dispose() => _listener.Dispose();

    private static double Median(double[] sorted) => sorted[sorted.Length / 2];
}
