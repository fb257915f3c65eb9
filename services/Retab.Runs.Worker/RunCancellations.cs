using System.Collections.Concurrent;

namespace Retab.Runs.Worker;

/// <summary>
/// Runs this worker heard were cancelled, and the executions of each run it has in progress: a cancellation stops the
/// run's executions in progress at once and makes the worker drop the run's queued ones instead of running them.
/// Cancelled runs are kept for an hour: long enough for a cancelled run's backlog to drain, bounded so memory does not grow.
/// </summary>
public sealed class RunCancellations(TimeProvider time)
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _cancelled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<CancellationTokenSource, byte>> _inProgress = new(StringComparer.Ordinal);

    public void Cancel(string runId)
    {
        var now = time.GetUtcNow();
        _cancelled[runId] = now;
        foreach (var (id, at) in _cancelled)
        {
            if (now - at > Retention)
                _cancelled.TryRemove(id, out _);
        }
        if (_inProgress.TryGetValue(runId, out var executions))
        {
            foreach (var execution in executions.Keys)
            {
                try
                {
                    execution.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // That execution ended meanwhile.
                }
            }
        }
    }

    public bool IsCancelled(string runId) => _cancelled.ContainsKey(runId);

    /// <summary>
    /// An execution of <paramref name="runId"/> begins: its token is cancelled when the run is (or the message's own
    /// token is). Dispose the result when the execution ends.
    /// </summary>
    public Execution Begin(string runId, CancellationToken messageCancelled)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(messageCancelled);
        var executions = _inProgress.GetOrAdd(runId, _ => new ConcurrentDictionary<CancellationTokenSource, byte>());
        executions.TryAdd(source, 0);
        // A cancellation heard between the check before this call and the registration above still stops it.
        if (IsCancelled(runId))
            source.Cancel();
        return new Execution(this, runId, source);
    }

    private void End(string runId, CancellationTokenSource source)
    {
        if (_inProgress.TryGetValue(runId, out var executions))
        {
            executions.TryRemove(source, out _);
            if (executions.IsEmpty)
                _inProgress.TryRemove(new KeyValuePair<string, ConcurrentDictionary<CancellationTokenSource, byte>>(runId, executions));
        }
        source.Dispose();
    }

    /// <summary>One execution in progress; <see cref="Token"/> stops when its run is cancelled.</summary>
    public sealed class Execution(RunCancellations owner, string runId, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        /// <summary>Whether the execution stopped because its run was cancelled (not because the message was).</summary>
        public bool RunCancelled => source.IsCancellationRequested && owner.IsCancelled(runId);

        public void Dispose() => owner.End(runId, source);
    }
}
