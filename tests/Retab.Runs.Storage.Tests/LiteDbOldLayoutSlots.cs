using System.Text.Json;
using LiteDB;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Flakiness;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Storage.Tests;

/// <summary>
/// Result slots as LiteDB files made before the state/snapshot split hold them: one document per slot, the whole slot as
/// the body, written with raw LiteDB calls exactly as the store wrote them then (same fields, same size check).
/// </summary>
internal static class LiteDbOldLayoutSlots
{
    /// <summary>
    /// Passes the planned slots on a chunk at a time, each chunk first written in the old shape if the run is still pending
    /// (slots that exist are kept): lazily, so a plan whose enumeration ends the run midway still does so between chunks.
    /// </summary>
    public static IEnumerable<TestResult> WrittenAsPlanned(LiteDbContext db, string runId, IEnumerable<TestResult> slots)
    {
        foreach (var chunk in slots.Chunk(ResultSlots.ChunkSize))
        {
            db.Write(() =>
            {
                if (db.Runs.FindById(runId) is not { } run || LiteDbContext.FromDocument<TestRun>(run).Status != RunStatus.Pending)
                    return false;
                foreach (var slot in chunk)
                {
                    if (db.Results.FindById(slot.Id) is null)
                        db.Results.Insert(Document(slot));
                }
                return true;
            });
            foreach (var slot in chunk)
                yield return slot;
        }
    }

    /// <summary>The document the store wrote for a slot before the split.</summary>
    public static BsonDocument Document(TestResult slot) =>
        LiteDbContext.ToDocument(StoredDocumentKind.Result, slot.Id, slot,
            ("org", slot.OrganizationId),
            ("run", slot.RunId),
            ("test", slot.TestId),
            ("rt", $"{slot.RunId}|{slot.TestId}"),
            ("twc", slot is { Status: SlotStatus.Completed, Verdict: not null, CompletedAt: { } completed }
                ? $"{slot.TestId}|{FlakyWindowKey.Of(slot.Fingerprints).Fingerprint}|{completed.ToUnixTimeMilliseconds():D15}|{slot.Id}"
                : BsonValue.Null),
            ("status", slot.Status.ToString()),
            ("verdict", slot.Verdict?.ToString() ?? BsonValue.Null),
            ("completed", slot.CompletedAt is { } at ? LiteDbContext.Time(at) : BsonValue.Null));

    /// <summary>Whether the stored body still holds the snapshot (the slot has not been split).</summary>
    public static bool HoldsSnapshot(BsonDocument stored) =>
        JsonDocument.Parse(stored["body"].AsString).RootElement.TryGetProperty(nameof(TestResult.BlockConfig), out _);
}

/// <summary>
/// The LiteDB run store on a file whose slots were planned by the version before the split: every planned slot is first
/// written in the old shape (<see cref="LiteDbOldLayoutSlots"/>), then the store queues the run and finds them there, as
/// it would after an upgrade. Everything else goes straight to the store.
/// </summary>
internal sealed class OldLayoutPlannedRunStore(LiteDbContext db, IRunStore store) : IRunStore
{
    public Task<TestRun?> QueuePlannedRunAsync(string runId, PlannedSlots slots, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        store.QueuePlannedRunAsync(runId, slots.Select(chunk => LiteDbOldLayoutSlots.WrittenAsPlanned(db, runId, chunk).ToList()), at, cancellationToken);

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

    public Task<int> CountActiveRunsAsync(CancellationToken cancellationToken = default) => store.CountActiveRunsAsync(cancellationToken);

    public Task<TestRun?> FailRunAsync(string runId, RunError error, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        store.FailRunAsync(runId, error, at, cancellationToken);

    public Task<IReadOnlyList<RunProgress>> ApplySlotEventsAsync(IReadOnlyList<SlotEvent> events, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        store.ApplySlotEventsAsync(events, at, cancellationToken);

    public Task<TestRun?> CompleteRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        store.CompleteRunAsync(runId, at, cancellationToken);

    public Task<TestRun?> CancelRunAsync(string runId, string? reason, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        store.CancelRunAsync(runId, reason, at, cancellationToken);

    public Task MarkStartPublishedAsync(string runId, CancellationToken cancellationToken = default) => store.MarkStartPublishedAsync(runId, cancellationToken);

    public Task MarkCompletionPublishedAsync(string runId, CancellationToken cancellationToken = default) =>
        store.MarkCompletionPublishedAsync(runId, cancellationToken);

    public Task<IReadOnlyList<TestRun>> FindRunsNeedingAttentionAsync(DateTimeOffset stalledBefore, int limit, CancellationToken cancellationToken = default) =>
        store.FindRunsNeedingAttentionAsync(stalledBefore, limit, cancellationToken);

    public Task<IReadOnlyList<TestResult>> GetActiveSlotsAsync(string runId, CancellationToken cancellationToken = default) =>
        store.GetActiveSlotsAsync(runId, cancellationToken);

    public Task<TestResult?> RequeueSlotAsync(string resultId, int seenAttempt, DateTimeOffset deadline, CancellationToken cancellationToken = default) =>
        store.RequeueSlotAsync(resultId, seenAttempt, deadline, cancellationToken);

    public Task<TestRun?> ReconcileCountsAsync(string runId, CancellationToken cancellationToken = default) => store.ReconcileCountsAsync(runId, cancellationToken);

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
