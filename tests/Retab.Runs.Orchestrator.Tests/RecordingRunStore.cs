using Retab.Runs.Core.Common;
using Retab.Runs.Core.Flakiness;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>
/// A real store with a recording, and optionally failing, <see cref="IRunStore.ApplySlotEventsAsync"/>: the fan-in's
/// writes are counted, and <see cref="FailWrite"/> can make the store refuse a write the way an outage or a bad
/// document would, before anything of it is written. <see cref="LoseCompletionPublished"/> leaves a run's end
/// unannounced as a crash right after its announcement would; <see cref="AfterCompleteRun"/> holds a completion's
/// winner before its announcement.
/// </summary>
internal sealed class RecordingRunStore(IRunStore store) : IRunStore
{
    private int _writes;
    private int _attentionQueries;
    private volatile bool _loseCompletionPublished;

    /// <summary>The failure to throw for a write of these events, or null to write them.</summary>
    public Func<IReadOnlyList<SlotEvent>, Exception?> FailWrite { get; set; } = _ => null;

    /// <summary>How many times the fan-in called <see cref="ApplySlotEventsAsync"/>, written or not.</summary>
    public int Writes => Volatile.Read(ref _writes);

    /// <summary>
    /// While set, <see cref="MarkCompletionPublishedAsync"/> writes nothing: the process died between publishing a run's
    /// end and recording that it did, so <c>completion_published</c> stays false.
    /// </summary>
    public bool LoseCompletionPublished
    {
        get => _loseCompletionPublished;
        set => _loseCompletionPublished = value;
    }

    /// <summary>How many times <see cref="FindRunsNeedingAttentionAsync"/> was asked (the dispatcher at start, each sweep).</summary>
    public int AttentionQueries => Volatile.Read(ref _attentionQueries);

    public Task<IReadOnlyList<RunProgress>> ApplySlotEventsAsync(IReadOnlyList<SlotEvent> events, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _writes);
        return FailWrite(events) is { } failure ? Task.FromException<IReadOnlyList<RunProgress>>(failure) : store.ApplySlotEventsAsync(events, at, cancellationToken);
    }

    public Task InsertRunAsync(TestRun run, CancellationToken cancellationToken = default) => store.InsertRunAsync(run, cancellationToken);

    public Task<TestRun?> GetRunAsync(string organizationId, string runId, CancellationToken cancellationToken = default) =>
        store.GetRunAsync(organizationId, runId, cancellationToken);

    public Task<Page<TestRun>> ListRunsAsync(string organizationId, RunQuery query, PageRequest page, CancellationToken cancellationToken = default) =>
        store.ListRunsAsync(organizationId, query, page, cancellationToken);

    public Task<TestRun?> FindPreviousCompletedRunAsync(TestRun run, CancellationToken cancellationToken = default) =>
        store.FindPreviousCompletedRunAsync(run, cancellationToken);

    public Task<TestRun?> RecordChangesAsync(string runId, string baselineRunId, int regressions, int fixes, CancellationToken cancellationToken = default) =>
        store.RecordChangesAsync(runId, baselineRunId, regressions, fixes, cancellationToken);

    public Task<int> CountRunsInProgressAsync(string organizationId, CancellationToken cancellationToken = default) =>
        store.CountRunsInProgressAsync(organizationId, cancellationToken);

    public Task<int> CountActiveRunsAsync(CancellationToken cancellationToken = default) =>
        store.CountActiveRunsAsync(cancellationToken);

    /// <summary>Runs after the orchestrator counted a run's tests and before it reads them (its slots are read as they are stored).</summary>
    public Func<string, Task>? BeforeQueue { get; set; }

    public async Task<TestRun?> QueuePlannedRunAsync(string runId, PlannedSlots slots, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (BeforeQueue is { } beforeQueue)
            await beforeQueue(runId);
        return await store.QueuePlannedRunAsync(runId, slots, at, cancellationToken);
    }

    public Task<TestRun?> FailRunAsync(string runId, RunError error, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        store.FailRunAsync(runId, error, at, cancellationToken);

    /// <summary>
    /// Awaited after a run was completed and before its completer hears so: a test holds the winner of the completion
    /// there, between the store move and its announcement.
    /// </summary>
    public Func<TestRun, Task>? AfterCompleteRun { get; set; }

    public async Task<TestRun?> CompleteRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var completed = await store.CompleteRunAsync(runId, at, cancellationToken);
        if (completed is not null && AfterCompleteRun is { } hold)
            await hold(completed);
        return completed;
    }

    public Task<TestRun?> CancelRunAsync(string runId, string? reason, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        store.CancelRunAsync(runId, reason, at, cancellationToken);

    public Task MarkStartPublishedAsync(string runId, CancellationToken cancellationToken = default) =>
        store.MarkStartPublishedAsync(runId, cancellationToken);

    public Task MarkCompletionPublishedAsync(string runId, CancellationToken cancellationToken = default) =>
        LoseCompletionPublished ? Task.CompletedTask : store.MarkCompletionPublishedAsync(runId, cancellationToken);

    public Task<IReadOnlyList<TestRun>> FindRunsNeedingAttentionAsync(DateTimeOffset stalledBefore, int limit, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _attentionQueries);
        return store.FindRunsNeedingAttentionAsync(stalledBefore, limit, cancellationToken);
    }

    public Task<IReadOnlyList<TestResult>> GetActiveSlotsAsync(string runId, CancellationToken cancellationToken = default) =>
        store.GetActiveSlotsAsync(runId, cancellationToken);

    public Task<TestResult?> RequeueSlotAsync(string resultId, int seenAttempt, DateTimeOffset deadline, CancellationToken cancellationToken = default) =>
        store.RequeueSlotAsync(resultId, seenAttempt, deadline, cancellationToken);

    public Task<TestRun?> ReconcileCountsAsync(string runId, CancellationToken cancellationToken = default) =>
        store.ReconcileCountsAsync(runId, cancellationToken);

    public Task<TestResult?> GetResultAsync(string organizationId, string resultId, CancellationToken cancellationToken = default) =>
        store.GetResultAsync(organizationId, resultId, cancellationToken);

    public Task<TestResult?> GetResultByTestAsync(string organizationId, string runId, string testId, CancellationToken cancellationToken = default) =>
        store.GetResultByTestAsync(organizationId, runId, testId, cancellationToken);

    public Task<Page<TestResult>> ListResultsAsync(string organizationId, ResultQuery query, PageRequest page, CancellationToken cancellationToken = default) =>
        store.ListResultsAsync(organizationId, query, page, cancellationToken);

    public Task<TestResult?> FindLatestResultAsync(string organizationId, string testId, Verdict? verdict, CancellationToken cancellationToken = default) =>
        store.FindLatestResultAsync(organizationId, testId, verdict, cancellationToken);

    public Task<IReadOnlyList<VerdictSample>> ListRecentVerdictsAsync(string organizationId, string testId, FlakyWindowKey key, int limit, CancellationToken cancellationToken = default) =>
        store.ListRecentVerdictsAsync(organizationId, testId, key, limit, cancellationToken);
}
