using MongoDB.Bson;
using MongoDB.Driver;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Flakiness;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using static Retab.Runs.Storage.Mongo.MongoDefinitions;
using static Retab.Runs.Storage.Mongo.MongoSchema;

namespace Retab.Runs.Storage.Mongo;

/// <summary>
/// Runs and their result slots on MongoDB, without multi-document transactions (DESIGN §5):
/// <list type="bullet">
/// <item>a slot move is a conditional single-document update guarded by the slot's status (one of
/// <see cref="RunLifecycle.SlotSourcesFor"/> the target) and its revision, so a duplicate or late event fails the guard
/// and a computed count delta is exact; a batch of slot events is one unordered bulk write;</item>
/// <item>the run's counts then change by one <c>$inc</c> per run and batch, guarded by the run being active: increments
/// commute, so thousands of results per second for one run never conflict or retry (rule 4);</item>
/// <item>every run move (queue, start, complete, cancel, fail) is a conditional update on the status the caller read,
/// so exactly one of many concurrent callers wins (rule 5);</item>
/// <item>the counts of a run are recomputed from its slots when it is queued, completed, cancelled or failed and when the
/// sweeper reconciles, so a process that dies between a slot write and its <c>$inc</c> leaves counts that lag until then,
/// never a finished run whose counts differ from its slots (rule 2);</item>
/// <item>a worker's late result replaces <c>worker_lost</c> only while the run is active (<see cref="SlotTransitions"/>).
/// Without a transaction to read the run in, an ending run first seals its error slots (<see cref="SealSlots"/>,
/// which bumps their revision), then takes its final count: a late result either landed before the seal and is in that
/// count, or loses its guard, re-reads the slot sealed and changes nothing. So here a run has ended, for late results,
/// once it is sealed; the counts it ends with and announces are its slots either way.</item>
/// </list>
/// What a move or an ending does is decided in Core (<see cref="SlotTransitions"/>, <see cref="RunEnding"/>); this store
/// persists it.
/// </summary>
public sealed class MongoRunStore(MongoContext db) : IRunStore
{
    /// <summary>Guarded writes that lost to a concurrent writer are retried on fresh state at most this often.</summary>
    private const int MaxRetries = 100;

    private static readonly FindOneAndUpdateOptions<BsonDocument> ReturnAfter = new() { ReturnDocument = ReturnDocument.After };

    public async Task InsertRunAsync(TestRun run, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        await db.Runs.InsertOneAsync(MongoDocuments.ToDocument(run), cancellationToken: cancellationToken);
    }

    public async Task<TestRun?> GetRunAsync(string organizationId, string runId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var document = await db.Runs.Find(Owned(organizationId, runId)).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : MongoDocuments.ToRun(document);
    }

    public async Task<int> CountRunsInProgressAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        return (int)await db.Runs.CountDocumentsAsync(MongoDefinitions.RunsInProgress(organizationId), cancellationToken: cancellationToken);
    }

    public async Task<int> CountActiveRunsAsync(CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        return (int)await db.Runs.CountDocumentsAsync(MongoDefinitions.ActiveRuns(), cancellationToken: cancellationToken);
    }

    public async Task<Page<TestRun>> ListRunsAsync(string organizationId, RunQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        return await MongoPaging.ReadAsync(db.Runs, RunList(organizationId, query), page, MongoDocuments.ToRun, r => r.Id, cancellationToken);
    }

    public async Task<TestRun?> FindPreviousCompletedRunAsync(TestRun run, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var (filter, sort) = PreviousCompletedRun(run);
        var document = await db.Runs.Find(filter).Sort(sort).Limit(1).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : MongoDocuments.ToRun(document);
    }

    public async Task<TestRun?> RecordChangesAsync(string runId, string baselineRunId, int regressions, int fixes, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var recorded = await db.Runs.FindOneAndUpdateAsync(RunEndingInCompleted(runId), RecordChanges(baselineRunId, regressions, fixes), ReturnAfter, cancellationToken);
        return recorded is null ? null : MongoDocuments.ToRun(recorded);
    }

    public async Task<TestRun?> QueuePlannedRunAsync(string runId, PlannedSlots slots, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var run = await FindRunAsync(runId, cancellationToken);
        if (run is null || !RunLifecycle.CanMove(run.Status, RunStatus.Queued))
            return null;

        // Slot ids derive from (run, test): a redelivered plan finds its slots already there and keeps them as they are.
        await foreach (var chunk in slots.ReadChunksAsync(cancellationToken))
            await InsertSlotsAsync(chunk, cancellationToken);
        var counts = await CountSlotsAsync(runId, cancellationToken);
        var queued = await db.Runs.FindOneAndUpdateAsync(
            RunMove(runId, RunStatus.Pending, RunStatus.Queued), QueueRun(counts, at, slots.InputsFingerprint), ReturnAfter, cancellationToken);
        if (queued is not null)
            return MongoDocuments.ToRun(queued);

        // Another planner won (nothing to do), or the run ended while this one planned: end the slots it may have
        // created so they agree with the run's counts (every planned test cancelled, or in error).
        if (await FindRunAsync(runId, cancellationToken) is { } ended && RunEnding.SlotsEndWith(ended.Status) is { } ending)
            await db.Results.UpdateManyAsync(ActiveSlotsOf(runId), EndSlots(ending, at), cancellationToken: cancellationToken);
        return null;
    }

    public async Task<TestRun?> FailRunAsync(string runId, RunError error, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await EndAsync(runId, RunStatus.Error, counts => FailRun(error, counts, at), at, cancellationToken);

    public async Task<IReadOnlyList<RunProgress>> ApplySlotEventsAsync(IReadOnlyList<SlotEvent> events, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var (deltas, ended) = await WriteSlotsAsync(events, cancellationToken);

        var progress = new List<RunProgress>();
        foreach (var runId in events.Select(e => e.RunId).Distinct())
        {
            if (deltas.TryGetValue(runId, out var delta))
            {
                // Only while the run is active: a run that ended meanwhile had its counts recomputed from the slots.
                var incremented = await db.Runs.FindOneAndUpdateAsync(
                    RunIn(runId, RunLifecycle.ActiveRunStatuses), IncrementCounts(delta, at), ReturnAfter, cancellationToken);
                if (incremented is not null)
                {
                    progress.Add(await StartIfQueuedAsync(MongoDocuments.ToRun(incremented), at, cancellationToken) with { EndedSlots = ended.GetValueOrDefault(runId) ?? [] });
                    continue;
                }
            }
            // Runs whose events were all no-ops are still reported, unchanged: after a crash between a slot write and
            // the run's completion, the redelivered batch changes nothing but must still let the caller complete the run.
            if (await FindRunAsync(runId, cancellationToken) is { } unchanged)
                progress.Add(new RunProgress(unchanged, StartedNow: false) { EndedSlots = ended.GetValueOrDefault(runId) ?? [] });
        }
        return progress;
    }

    /// <summary>queued → running on a run's first slot event; exactly one batch wins the move.</summary>
    private async Task<RunProgress> StartIfQueuedAsync(TestRun run, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (run.Status != RunStatus.Queued)
            return new RunProgress(run, StartedNow: false);
        var started = await db.Runs.FindOneAndUpdateAsync(RunMove(run.Id, RunStatus.Queued, RunStatus.Running), StartRun(at), ReturnAfter, cancellationToken);
        return started is not null
            ? new RunProgress(MongoDocuments.ToRun(started), StartedNow: true)
            : new RunProgress(await FindRunAsync(run.Id, cancellationToken) ?? run, StartedNow: false);
    }

    public async Task<TestRun?> CompleteRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        for (var attempt = 0; attempt < MaxRetries; attempt++)
        {
            var run = await FindRunAsync(runId, cancellationToken);
            if (run is null || RunEnding.Of(run.Status, RunStatus.Completed) is null || await HasActiveSlotsAsync(runId, cancellationToken))
                return null;
            // Every slot is terminal, so none moves again once the worker_lost ones are sealed: counts taken after are final.
            await SealSlotsAsync(runId, cancellationToken);
            var counts = await CountSlotsAsync(runId, cancellationToken);
            if (!counts.AllTerminal)
                return null;
            var completed = await db.Runs.FindOneAndUpdateAsync(
                RunMove(runId, run.Status, RunStatus.Completed), CompleteRun(counts, run.StartedAt ?? at, at), ReturnAfter, cancellationToken);
            if (completed is not null)
                return MongoDocuments.ToRun(completed);
        }
        throw Contended(runId);
    }

    public async Task<TestRun?> CancelRunAsync(string runId, string? reason, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await EndAsync(runId, RunStatus.Cancelled, counts => CancelRun(reason, counts, at), at, cancellationToken);

    /// <summary>
    /// Ends a run in <paramref name="to"/> (error or cancelled) as <see cref="RunEnding"/> says. <paramref name="move"/>
    /// builds the run's update, given the counts of a run that never had slots (null when they come from the slots).
    /// </summary>
    private async Task<TestRun?> EndAsync(
        string runId, RunStatus to, Func<RunCounts?, UpdateDefinition<BsonDocument>> move, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await db.ReadyAsync(cancellationToken);
        for (var attempt = 0; attempt < MaxRetries; attempt++)
        {
            var run = await FindRunAsync(runId, cancellationToken);
            if (run is null || RunEnding.Of(run.Status, to) is not { } ending)
                return null;
            var countsWithoutSlots = ending.CountsWithoutSlots(run.TotalTests);
            var ended = await db.Runs.FindOneAndUpdateAsync(RunMove(runId, run.Status, to), move(countsWithoutSlots), ReturnAfter, cancellationToken);
            if (ended is null)
                continue;

            // From here on no slot event changes the run's counts (the $inc needs an active run). Its active slots end
            // (also any its planner created), then its error slots are sealed, those the sweeper ended meanwhile included.
            if (ending.ActiveSlotsEndAs is { } slotsEndAs)
                await db.Results.UpdateManyAsync(ActiveSlotsOf(runId), EndSlots(slotsEndAs, at), cancellationToken: cancellationToken);
            if (countsWithoutSlots is not null)
                return MongoDocuments.ToRun(ended);
            await SealSlotsAsync(runId, cancellationToken);
            var counts = await CountSlotsAsync(runId, cancellationToken);
            var counted = await db.Runs.FindOneAndUpdateAsync(ById(runId), SetCounts(counts), ReturnAfter, cancellationToken);
            return MongoDocuments.ToRun(counted ?? ended);
        }
        throw Contended(runId);
    }

    public async Task MarkStartPublishedAsync(string runId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        await db.Runs.UpdateOneAsync(ById(runId), MarkStartPublished(), cancellationToken: cancellationToken);
    }

    public async Task MarkCompletionPublishedAsync(string runId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        await db.Runs.UpdateOneAsync(ById(runId), MarkCompletionPublished(), cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<TestRun>> FindRunsNeedingAttentionAsync(DateTimeOffset stalledBefore, int limit, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var stalled = await db.Runs.Find(StalledRuns(stalledBefore)).Limit(limit).ToListAsync(cancellationToken);
        var unpublished = await db.Runs.Find(UnpublishedTerminalRuns()).Limit(limit).ToListAsync(cancellationToken);
        return stalled.Concat(unpublished).Select(MongoDocuments.ToRun).ToList();
    }

    public async Task<IReadOnlyList<TestResult>> GetActiveSlotsAsync(string runId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var documents = await db.Results.Find(ActiveSlotsOf(runId)).ToListAsync(cancellationToken);
        return documents.Select(MongoDocuments.ToResult).ToList();
    }

    public async Task<TestResult?> RequeueSlotAsync(string resultId, int seenAttempt, DateTimeOffset deadline, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var requeued = await db.Results.FindOneAndUpdateAsync(ResendableSlot(resultId, seenAttempt), RequeueSlot(deadline), ReturnAfter, cancellationToken);
        return requeued is null ? null : MongoDocuments.ToResult(requeued);
    }

    public async Task<TestRun?> ReconcileCountsAsync(string runId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        if (await FindRunAsync(runId, cancellationToken) is not { Status: not RunStatus.Pending })
            return null;
        var counts = await CountSlotsAsync(runId, cancellationToken);
        var reconciled = await db.Runs.FindOneAndUpdateAsync(
            RunIn(runId, Enum.GetValues<RunStatus>().Where(s => s != RunStatus.Pending)), SetCounts(counts), ReturnAfter, cancellationToken);
        return reconciled is null ? null : MongoDocuments.ToRun(reconciled);
    }

    public async Task<TestResult?> GetResultAsync(string organizationId, string resultId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var document = await db.Results.Find(Owned(organizationId, resultId)).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : MongoDocuments.ToResult(document);
    }

    public async Task<TestResult?> GetResultByTestAsync(string organizationId, string runId, string testId, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var document = await db.Results.Find(ResultByTest(organizationId, runId, testId)).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : MongoDocuments.ToResult(document);
    }

    public async Task<Page<TestResult>> ListResultsAsync(string organizationId, ResultQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        return await MongoPaging.ReadAsync(db.Results, ResultList(organizationId, query), page, MongoDocuments.ToResult, r => r.Id, cancellationToken);
    }

    public async Task<TestResult?> FindLatestResultAsync(string organizationId, string testId, Verdict? verdict, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var (filter, sort) = LatestResult(organizationId, testId, verdict);
        var document = await db.Results.Find(filter).Sort(sort).Limit(1).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : MongoDocuments.ToResult(document);
    }

    public async Task<IReadOnlyList<VerdictSample>> ListRecentVerdictsAsync(string organizationId, string testId, FlakyWindowKey key, int limit, CancellationToken cancellationToken = default)
    {
        await db.ReadyAsync(cancellationToken);
        var (filter, sort, projection) = RecentVerdicts(organizationId, testId, key);
        var documents = await db.Results.Find(filter).Sort(sort).Limit(limit).Project(projection).ToListAsync(cancellationToken);
        return documents.Select(ReadVerdictSample).ToList();
    }

    // ---- slot writes ----------------------------------------------------------------------------------------

    private sealed record SlotWrite(string ResultId, string RunId, RunCounts Delta, EndedSlot? Ended, UpdateOneModel<BsonDocument> Model);

    /// <summary>What the slot writes of one batch moved: count changes by run, and the slots they ended.</summary>
    private sealed record SlotWrites(Dictionary<string, RunCounts> Deltas, Dictionary<string, List<EndedSlot>> Ended);

    /// <summary>
    /// Applies the events to their slots: reads the slots in one query, applies each slot's events in order with
    /// <see cref="SlotTransitions"/>, writes every changed slot in one unordered bulk write guarded by its revision, and
    /// re-reads and re-applies the few whose guard failed because another writer got there first.
    /// Returns the count change per run of the writes that landed.
    /// </summary>
    private async Task<SlotWrites> WriteSlotsAsync(IReadOnlyList<SlotEvent> events, CancellationToken cancellationToken)
    {
        var deltas = new Dictionary<string, RunCounts>();
        var ended = new Dictionary<string, List<EndedSlot>>();
        var pending = events.GroupBy(e => e.ResultId).ToDictionary(g => g.Key, g => g.ToList());
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            if (attempt == MaxRetries)
                throw new InvalidOperationException($"Slot writes kept losing to concurrent writers after {MaxRetries} attempts.");

            var token = ObjectId.GenerateNewId();
            var writes = new List<SlotWrite>();
            foreach (var document in await db.Results.Find(SlotsByIds(pending.Keys)).ToListAsync(cancellationToken))
            {
                if (Plan(document, pending[document[Fields.Id].AsString], token) is { } write)
                    writes.Add(write);
            }
            if (writes.Count == 0)
                break;

            var result = await db.Results.BulkWriteAsync(writes.Select(w => w.Model), new BulkWriteOptions { IsOrdered = false }, cancellationToken);
            var landed = result.MatchedCount == writes.Count
                ? writes.Select(w => w.ResultId).ToHashSet()
                : await WrittenByAsync(writes.Select(w => w.ResultId), token, cancellationToken);

            var lost = new Dictionary<string, List<SlotEvent>>();
            foreach (var write in writes)
            {
                if (!landed.Contains(write.ResultId))
                    lost[write.ResultId] = pending[write.ResultId];
                else
                {
                    if (write.Delta != new RunCounts())
                        deltas[write.RunId] = deltas.GetValueOrDefault(write.RunId, new RunCounts()).Plus(write.Delta);
                    // The guarded write landed, so this writer made the move (a concurrent one would have failed the guard).
                    if (write.Ended is { } end)
                        (ended.TryGetValue(write.RunId, out var ends) ? ends : ended[write.RunId] = []).Add(end);
                }
            }
            pending = lost;
        }
        return new SlotWrites(deltas, ended);
    }

    /// <summary>
    /// The guarded write of one slot after its events, or null when they change nothing (duplicates, late, unknown run).
    /// Throws <see cref="DocumentTooLargeException"/> (naming the result) when the slot would be too large to store: every
    /// write of a batch is planned before the bulk write is sent, so then nothing of the batch is written.
    /// </summary>
    private static SlotWrite? Plan(BsonDocument document, IReadOnlyList<SlotEvent> events, ObjectId token)
    {
        var slot = MongoDocuments.ToResult(document);
        var from = slot.Status;
        var delta = new RunCounts();
        var changed = false;
        foreach (var slotEvent in events)
        {
            // An event naming another run's result is ignored. A slot is sealed once its run ended (the seal bumped the
            // revision, so a slot read before it fails the write's guard and is planned again from here).
            if (slotEvent.RunId != slot.RunId || SlotTransitions.Apply(slot, slotEvent, runIsActive: !MongoDocuments.IsSealed(document)) is not { } change)
                continue;
            slot = change.Slot;
            delta = delta.Plus(change.CountDelta);
            changed = true;
        }
        if (!changed)
            return null;
        var model = new UpdateOneModel<BsonDocument>(
            MongoDefinitions.SlotWrite(slot.Id, MongoDocuments.Revision(document), from, slot.Status),
            WriteSlot(slot, token));
        return new SlotWrite(slot.Id, slot.RunId, delta, EndedSlot.Of(from, slot), model);
    }

    private async Task<HashSet<string>> WrittenByAsync(IEnumerable<string> resultIds, ObjectId token, CancellationToken cancellationToken)
    {
        var written = await db.Results.Find(SlotsWrittenBy(resultIds, token))
            .Project(Builders<BsonDocument>.Projection.Include(Fields.Id))
            .ToListAsync(cancellationToken);
        return written.Select(d => d[Fields.Id].AsString).ToHashSet();
    }

    private async Task InsertSlotsAsync(IReadOnlyList<TestResult> slots, CancellationToken cancellationToken)
    {
        // Every document of the chunk is built (and measured) before any is sent, so a slot too large to store fails the chunk whole.
        var documents = slots.Select(MongoDocuments.ToDocument).ToList();
        try
        {
            await db.Results.InsertManyAsync(documents, new InsertManyOptions { IsOrdered = false }, cancellationToken);
        }
        catch (MongoBulkWriteException<BsonDocument> error)
            when (error.WriteConcernError is null && error.WriteErrors.All(e => e.Category == ServerErrorCategory.DuplicateKey))
        {
            // Those slots exist already (a redelivered or concurrent plan): keep them as they are.
        }
    }

    private async Task<bool> HasActiveSlotsAsync(string runId, CancellationToken cancellationToken) =>
        await db.Results.CountDocumentsAsync(ActiveSlotsOf(runId), new CountOptions { Limit = 1 }, cancellationToken) > 0;

    private async Task SealSlotsAsync(string runId, CancellationToken cancellationToken) =>
        await db.Results.UpdateManyAsync(UnsealedErrorSlotsOf(runId), SealSlots(), cancellationToken: cancellationToken);

    private async Task<RunCounts> CountSlotsAsync(string runId, CancellationToken cancellationToken) =>
        ReadSlotCounts(await (await db.Results.AggregateAsync(CountSlots(runId), cancellationToken: cancellationToken)).ToListAsync(cancellationToken));

    private async Task<TestRun?> FindRunAsync(string runId, CancellationToken cancellationToken)
    {
        var document = await db.Runs.Find(ById(runId)).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : MongoDocuments.ToRun(document);
    }

    private static InvalidOperationException Contended(string runId) =>
        new($"Run {runId} kept changing under a lifecycle move after {MaxRetries} attempts.");
}
