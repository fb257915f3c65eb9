using System.Collections.Concurrent;

namespace Retab.Runs.Worker;

/// <summary>
/// Runs this worker heard were cancelled, so it drops their queued executions instead of running them.
/// Kept for an hour: long enough for a cancelled run's backlog to drain, bounded so memory does not grow.
/// </summary>
public sealed class CancelledRuns(TimeProvider time)
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _runs = new();

    public void Add(string runId)
    {
        var now = time.GetUtcNow();
        _runs[runId] = now;
        foreach (var (id, at) in _runs)
        {
            if (now - at > Retention)
                _runs.TryRemove(id, out _);
        }
    }

    public bool Contains(string runId) => _runs.ContainsKey(runId);
}
