using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Stores;

/// <summary>A run after a batch of slot events; <see cref="StartedNow"/> when this batch moved it from queued to running.</summary>
public sealed record RunProgress(TestRun Run, bool StartedNow)
{
    /// <summary>
    /// The run's slots this batch ended: moved from queued or running to a terminal status by this very write. Only the
    /// writer that made a move reports it, so a redelivered or duplicated event, or a late one, is never reported twice
    /// (what the tests-finished metric counts). A worker's result replacing a <c>worker_lost</c> error is not a new end.
    /// </summary>
    public IReadOnlyList<EndedSlot> EndedSlots { get; init; } = [];
}
