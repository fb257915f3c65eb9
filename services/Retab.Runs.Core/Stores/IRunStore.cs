using Retab.Runs.Core.Common;
using Retab.Runs.Core.Flakiness;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Stores;

/// <summary>
/// Runs and their result slots: one aggregate, because a slot move and its count change must be atomic
/// (DESIGN §5). Every move is guarded by <see cref="RunLifecycle"/>; a call whose guard fails changes nothing
/// and returns null (or leaves the event out of the result).
/// </summary>
public interface IRunStore
{
    Task InsertRunAsync(TestRun run, CancellationToken cancellationToken = default);

    Task<TestRun?> GetRunAsync(string organizationId, string runId, CancellationToken cancellationToken = default);

    Task<Page<TestRun>> ListRunsAsync(string organizationId, RunQuery query, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>
    /// The "previous" run of <paramref name="run"/>: the latest completed run of the same organization, workflow and scope
    /// (<see cref="RunScopeSpec.Key"/>) created before it (ids sort by creation time); null when there is none.
    /// </summary>
    Task<TestRun?> FindPreviousCompletedRunAsync(TestRun run, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a run's comparison with <paramref name="baselineRunId"/> (see <see cref="TestRun.Regressions"/>): on a run
    /// about to complete (queued or running, every slot ended) or completed; null for a run that ended otherwise.
    /// </summary>
    Task<TestRun?> RecordChangesAsync(string runId, string baselineRunId, int regressions, int fixes, CancellationToken cancellationToken = default);

    /// <summary>How many of the organization's runs are pending, queued or running (the quota <c>Limits:MaxRunsInProgressPerOrganization</c>).</summary>
    Task<int> CountRunsInProgressAsync(string organizationId, CancellationToken cancellationToken = default);

    /// <summary>How many runs of all organizations are pending, queued or running (the runs-in-flight gauge).</summary>
    Task<int> CountActiveRunsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the planned slots (keeping any that already exist), a chunk at a time as <paramref name="slots"/> yields
    /// them so a huge plan is never held in memory or in one write, then moves the run pending → queued with counts
    /// taken from the slots and the inputs fingerprint computed while they were read (<see cref="PlannedSlots.InputsFingerprint"/>;
    /// the run's own when null). If the run ended while it was being planned, the slots this call created end with it
    /// (<see cref="RunEnding.SlotsEndWith"/>).
    /// </summary>
    Task<TestRun?> QueuePlannedRunAsync(string runId, PlannedSlots slots, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Ends a run that could not be planned in <c>error</c>, as <see cref="RunEnding"/> says; null if it was already terminal.</summary>
    Task<TestRun?> FailRunAsync(string runId, RunError error, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a batch of slot events with <see cref="SlotTransitions"/>, each slot move together with its count change;
    /// moves a queued run to running on its first event. Returns every run the events name, as it is after the batch
    /// (also when nothing changed, so a redelivered batch can still complete its run).
    /// </summary>
    Task<IReadOnlyList<RunProgress>> ApplySlotEventsAsync(IReadOnlyList<SlotEvent> events, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves an active run whose slots are all terminal to <c>completed</c>, with counts recounted from the slots
    /// (<see cref="RunEnding"/>); null if another caller won or it is not finished.
    /// </summary>
    Task<TestRun?> CompleteRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Moves an active run and its active slots to <c>cancelled</c>, as <see cref="RunEnding"/> says; null if the run was already terminal.</summary>
    Task<TestRun?> CancelRunAsync(string runId, string? reason, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task MarkStartPublishedAsync(string runId, CancellationToken cancellationToken = default);

    Task MarkCompletionPublishedAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Active runs with no progress since <paramref name="stalledBefore"/>, and terminal runs whose completion was never published.</summary>
    Task<IReadOnlyList<TestRun>> FindRunsNeedingAttentionAsync(DateTimeOffset stalledBefore, int limit, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TestResult>> GetActiveSlotsAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a slot still queued or running the next attempt and a new deadline (the sweeper re-sends it); its status and
    /// the counts stay. Null when the slot is terminal, unknown, or no longer at <paramref name="seenAttempt"/>: of two
    /// sweepers that saw the same attempt, only one bumps it (and re-sends).
    /// </summary>
    Task<TestResult?> RequeueSlotAsync(string resultId, int seenAttempt, DateTimeOffset deadline, CancellationToken cancellationToken = default);

    /// <summary>Recomputes a run's counts from its slots (the source of truth) and stores them.</summary>
    Task<TestRun?> ReconcileCountsAsync(string runId, CancellationToken cancellationToken = default);

    Task<TestResult?> GetResultAsync(string organizationId, string resultId, CancellationToken cancellationToken = default);

    Task<TestResult?> GetResultByTestAsync(string organizationId, string runId, string testId, CancellationToken cancellationToken = default);

    Task<Page<TestResult>> ListResultsAsync(string organizationId, ResultQuery query, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>The newest completed result of a test, optionally with a given verdict.</summary>
    Task<TestResult?> FindLatestResultAsync(string organizationId, string testId, Verdict? verdict, CancellationToken cancellationToken = default);

    /// <summary>
    /// The verdicts of a test's newest <paramref name="limit"/> completed results computed under <paramref name="key"/>,
    /// newest first (what <see cref="FlakyRule"/> reads). One bounded query: the key is stored with each result.
    /// </summary>
    Task<IReadOnlyList<VerdictSample>> ListRecentVerdictsAsync(string organizationId, string testId, FlakyWindowKey key, int limit, CancellationToken cancellationToken = default);
}
