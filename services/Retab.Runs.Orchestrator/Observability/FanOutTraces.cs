using System.Collections.Concurrent;
using System.Diagnostics;
using Retab.Runs.Core.Observability;

namespace Retab.Runs.Orchestrator.Observability;

/// <summary>
/// Keeps a run's trace across the dispatcher. The dispatcher sends tests from its own loop, outside the consume span of
/// the CreateTestRun that queued the run, so without this every execution would start a trace of its own. The span
/// current when a run is handed to the dispatcher is remembered, and each batch of the run's tests is sent inside a
/// <c>fan-out</c> span under it. Nothing is remembered while tracing is off (no span is current then).
/// </summary>
public sealed class FanOutTraces
{
    public const string SpanName = "fan-out";

    private readonly ConcurrentDictionary<string, ActivityContext> _parents = new(StringComparer.Ordinal);

    public bool IsEmpty => _parents.IsEmpty;

    public void Remember(string runId)
    {
        if (Activity.Current is { Recorded: true } current)
            _parents.TryAdd(runId, current.Context);
    }

    /// <summary>The fan-out span of a batch of the run's tests, under the span that queued the run; null if none was remembered.</summary>
    public Activity? StartFanOut(string runId, int tests)
    {
        if (!_parents.TryGetValue(runId, out var parent))
            return null;
        var span = RunsDiagnostics.ActivitySource.StartActivity(SpanName, ActivityKind.Internal, parent);
        span?.SetTag(RunsTags.RunId, runId);
        span?.SetTag("retab.tests", tests);
        return span;
    }

    /// <summary>Forgets the runs <paramref name="isSending"/> no longer sends (all their tests went out, or they ended).</summary>
    public void ForgetDone(Func<string, bool> isSending)
    {
        foreach (var runId in _parents.Keys)
        {
            if (!isSending(runId))
                _parents.TryRemove(runId, out _);
        }
    }
}
