using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Stores;

/// <summary>Queues a run from slots already made (a plan held in memory: small runs, tests and tools).</summary>
public static class RunStoreQueueing
{
    public static Task<TestRun?> QueuePlannedRunAsync(this IRunStore runs, string runId, IEnumerable<TestResult> slots, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        runs.QueuePlannedRunAsync(runId, PlannedSlots.Of(slots), at, cancellationToken);
}
