using LiteDB;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Flakiness;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.LiteDb;

/// <summary>
/// Runs and slots in one file. Every slot move and its count change happen in one LiteDB transaction
/// (<see cref="LiteDbContext.Write{T}"/>), so the counts always equal the slots. What a move or an ending does is
/// decided in Core (<see cref="SlotTransitions"/>, <see cref="RunEnding"/>); this store persists it.
/// </summary>
public sealed class LiteDbRunStore(LiteDbContext db) : IRunStore
{
    public Task InsertRunAsync(TestRun run, CancellationToken cancellationToken = default)
    {
        db.Runs.Insert(ToDocument(run));
        return Task.CompletedTask;
    }

    public Task<TestRun?> GetRunAsync(string organizationId, string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult(FindRun(runId) is { } run && run.OrganizationId == organizationId ? run : null);

    public Task<int> CountRunsInProgressAsync(string organizationId, CancellationToken cancellationToken = default) =>
        Task.FromResult(db.Runs.Query()
            .Where(Filter.Eq("org", organizationId))
            .Where(Filter.In("status", RunLifecycle.ActiveRunStatuses.Select(s => new BsonValue(s.ToString()))))
            .Count());

    public Task<int> CountActiveRunsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(db.Runs.Query()
            .Where(Filter.In("status", RunLifecycle.ActiveRunStatuses.Select(s => new BsonValue(s.ToString()))))
            .Count());

    public Task<Page<TestRun>> ListRunsAsync(string organizationId, RunQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        List<BsonExpression> filters = [Filter.Eq("org", organizationId)];
        if (query.WorkflowId is not null)
            filters.Add(Filter.Eq("wf", query.WorkflowId));
        if (query.Status is not null)
            filters.Add(Filter.Eq("status", query.Status.ToString()));
        return Task.FromResult(Paging.Read(db.Runs, filters, page, d => LiteDbContext.FromDocument<TestRun>(d) is var run && query.Matches(run) ? run : null, r => r.Id));
    }

    public Task<TestRun?> FindPreviousCompletedRunAsync(TestRun run, CancellationToken cancellationToken = default)
    {
        // Newest first down one range of the "lineage" index, so the answer costs the same with ten runs or ten
        // thousand; each candidate is checked field by field, since the index key is only a concatenation.
        var previous = LineageQuery(db.Runs, run)
            .ToEnumerable()
            .Select(LiteDbContext.FromDocument<TestRun>)
            .FirstOrDefault(candidate => string.CompareOrdinal(candidate.Id, run.Id) < 0
                && candidate.Status == RunStatus.Completed && candidate.OrganizationId == run.OrganizationId
                && candidate.WorkflowId == run.WorkflowId && candidate.Scope.Key == run.Scope.Key);
        return Task.FromResult(previous);
    }

    public Task<TestRun?> RecordChangesAsync(string runId, string baselineRunId, int regressions, int fixes, CancellationToken cancellationToken = default) =>
        Task.FromResult(db.Write(() => FindRun(runId) is { Status: not (RunStatus.Error or RunStatus.Cancelled) } run
            ? SaveRun(run with { BaselineRunId = baselineRunId, Regressions = regressions, Fixes = fixes })
            : null));

    public async Task<TestRun?> QueuePlannedRunAsync(string runId, PlannedSlots slots, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        // One transaction per chunk: LiteDB keeps a transaction's pages in memory until it commits, and a
        // 100,000-test plan in one transaction would hold hundreds of megabytes.
        await foreach (var chunk in slots.ReadChunksAsync(cancellationToken))
        {
            var stillPending = db.Write(() =>
            {
                if (FindRun(runId) is not { Status: RunStatus.Pending })
                    return false;
                // Slot ids derive from (run, test): a redelivered plan finds its slots there and keeps them as they are.
                var stored = StoredIdsAmong(chunk);
                foreach (var slot in chunk)
                {
                    if (!stored.Contains(slot.Id))
                        InsertSlot(slot);
                }
                return true;
            });
            if (!stillPending)
                break;
        }

        return db.Write(() =>
        {
            var run = FindRun(runId);
            if (run is null)
                return null;
            if (RunLifecycle.CanMove(run.Status, RunStatus.Queued))
            {
                // Still pending, so every chunk was read: the fingerprint is complete.
                var counts = CountSlots(runId);
                return SaveRun(run with
                {
                    Status = RunStatus.Queued, TotalTests = counts.Total, Counts = counts, LastProgressAt = at,
                    InputsFingerprint = slots.InputsFingerprint ?? run.InputsFingerprint,
                });
            }
            // The run ended while it was being planned (cancelled, or failed): the slots created meanwhile end with it.
            if (RunEnding.SlotsEndWith(run.Status) is { } ending)
                EndActiveSlots(runId, ending, at);
            return null;
        });
    }

    public Task<TestRun?> FailRunAsync(string runId, RunError error, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Task.FromResult(db.Write(() => End(runId, RunStatus.Error, at, run => run with { Error = error })));

    public Task<IReadOnlyList<RunProgress>> ApplySlotEventsAsync(IReadOnlyList<SlotEvent> events, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RunProgress>>(db.Write(() =>
        {
            var deltas = new Dictionary<string, RunCounts>();
            var ended = new Dictionary<string, List<EndedSlot>>();
            var runIsActive = new Dictionary<string, bool>();
            var states = StatesOf(events);
            foreach (var slotEvent in events)
            {
                if (!states.TryGetValue(slotEvent.ResultId, out var document) || document["run"].AsString != slotEvent.RunId)
                    continue;
                // Read in this transaction, so no run can end between this answer and the slot write.
                if (!runIsActive.TryGetValue(slotEvent.RunId, out var active))
                    runIsActive[slotEvent.RunId] = active = FindRun(slotEvent.RunId) is { } owner && !RunLifecycle.IsTerminal(owner.Status);
                // The state alone: a move never reads or rewrites the slot's snapshot (SlotDocuments).
                var change = SlotTransitions.Apply(SlotDocuments.ReadState(document), slotEvent, active);
                if (change is null)
                    continue;
                // The next event of the same slot in this batch moves it from here.
                states[slotEvent.ResultId] = UpdateState(change.Slot, document);
                if (EndedSlot.Of(change) is { } end)
                    (ended.TryGetValue(slotEvent.RunId, out var ends) ? ends : ended[slotEvent.RunId] = []).Add(end);
                if (change.MovesCounts)
                    deltas[slotEvent.RunId] = deltas.GetValueOrDefault(slotEvent.RunId, new RunCounts()).Plus(change.CountDelta);
            }

            var progress = new List<RunProgress>();
            // Runs whose events were all no-ops are still reported: after a crash between this write and the
            // completion, the redelivered batch changes nothing but must still let the caller complete the run.
            foreach (var runId in events.Select(e => e.RunId).Distinct().Where(id => !deltas.ContainsKey(id)))
            {
                if (FindRun(runId) is { } unchanged)
                    progress.Add(new RunProgress(unchanged, StartedNow: false) { EndedSlots = ended.GetValueOrDefault(runId) ?? [] });
            }
            foreach (var (runId, delta) in deltas)
            {
                if (FindRun(runId) is not { } run)
                    continue;
                var startsNow = RunLifecycle.CanMove(run.Status, RunStatus.Running);
                var moved = run with
                {
                    Counts = run.Counts.Plus(delta),
                    Status = startsNow ? RunStatus.Running : run.Status,
                    StartedAt = run.StartedAt ?? at,
                    LastProgressAt = at,
                };
                progress.Add(new RunProgress(SaveRun(moved), startsNow) { EndedSlots = ended.GetValueOrDefault(runId) ?? [] });
            }
            return progress;
        }));

    public Task<TestRun?> CompleteRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Task.FromResult(db.Write(() =>
        {
            // The counts kept with the slots say cheaply whether it is worth counting the slots themselves.
            var run = FindRun(runId);
            if (run is null || RunEnding.Of(run.Status, RunStatus.Completed) is null || !run.Counts.AllTerminal)
                return null;
            var counts = CountSlots(runId);
            if (!counts.AllTerminal)
                return null;
            return SaveRun(run with { Status = RunStatus.Completed, Counts = counts, StartedAt = run.StartedAt ?? at, CompletedAt = at, LastProgressAt = at });
        }));

    public Task<TestRun?> CancelRunAsync(string runId, string? reason, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Task.FromResult(db.Write(() => End(runId, RunStatus.Cancelled, at, run => run with { CancelReason = reason })));

    /// <summary>
    /// Ends a run in <paramref name="to"/> (error or cancelled) as <see cref="RunEnding"/> says, in the caller's transaction:
    /// no slot event can land between its slots ending and its counts being taken.
    /// </summary>
    private TestRun? End(string runId, RunStatus to, DateTimeOffset at, Func<TestRun, TestRun> withWhy)
    {
        var run = FindRun(runId);
        if (run is null || RunEnding.Of(run.Status, to) is not { } ending)
            return null;
        if (ending.ActiveSlotsEndAs is { } slotsEndAs)
            EndActiveSlots(runId, slotsEndAs, at);
        var counts = ending.CountsWithoutSlots(run.TotalTests) ?? CountSlots(runId);
        return SaveRun(withWhy(run) with { Status = to, Counts = counts, CompletedAt = at, LastProgressAt = at });
    }

    public Task MarkStartPublishedAsync(string runId, CancellationToken cancellationToken = default)
    {
        db.Write(() => FindRun(runId) is { } run ? SaveRun(run with { StartPublished = true }) : null);
        return Task.CompletedTask;
    }

    public Task MarkCompletionPublishedAsync(string runId, CancellationToken cancellationToken = default)
    {
        db.Write(() => FindRun(runId) is { } run ? SaveRun(run with { CompletionPublished = true }) : null);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TestRun>> FindRunsNeedingAttentionAsync(DateTimeOffset stalledBefore, int limit, CancellationToken cancellationToken = default)
    {
        var stalled = db.Runs.Query()
            .Where(Filter.In("status", RunLifecycle.ActiveRunStatuses.Select(s => new BsonValue(s.ToString()))))
            .Where(Filter.Lt("progress", LiteDbContext.Time(stalledBefore)))
            .Limit(limit)
            .ToEnumerable();
        var unpublished = db.Runs.Query()
            .Where(Filter.Eq("published", false))
            .Where(Filter.In("status", TerminalRunStatuses))
            .Limit(limit)
            .ToEnumerable();
        return Task.FromResult<IReadOnlyList<TestRun>>(stalled.Concat(unpublished).Select(LiteDbContext.FromDocument<TestRun>).ToList());
    }

    public Task<IReadOnlyList<TestResult>> GetActiveSlotsAsync(string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<TestResult>>(ActiveSlotDocuments(runId).Select(Whole).ToList());

    public Task<TestResult?> RequeueSlotAsync(string resultId, int seenAttempt, DateTimeOffset deadline, CancellationToken cancellationToken = default) =>
        Task.FromResult(db.Write(() =>
        {
            var document = db.Results.FindById(resultId);
            if (document is null)
                return null;
            // Whole, as the sweeper sends it to workers again; only its state is rewritten.
            var slot = Whole(document);
            if (RunLifecycle.IsTerminal(slot.Status) || slot.Attempt != seenAttempt)
                return null;
            var requeued = slot with { Attempt = seenAttempt + 1, Deadline = deadline };
            UpdateState(requeued, document);
            return requeued;
        }));

    public Task<TestRun?> ReconcileCountsAsync(string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult(db.Write(() =>
            FindRun(runId) is { Status: not RunStatus.Pending } run ? SaveRun(run with { Counts = CountSlots(runId) }) : null));

    public Task<TestResult?> GetResultAsync(string organizationId, string resultId, CancellationToken cancellationToken = default)
    {
        var document = db.Results.FindById(resultId);
        return Task.FromResult(OwnedResult(document, organizationId));
    }

    public Task<TestResult?> GetResultByTestAsync(string organizationId, string runId, string testId, CancellationToken cancellationToken = default)
    {
        if (ResultIdRange(runId) is null)
            return Task.FromResult<TestResult?>(null);
        // The id a slot of this run and test has; its fields are checked, as another run and test could derive the same id.
        var document = db.Results.FindById(RunResults.ResultIdOf(runId, testId));
        return Task.FromResult(document is not null && document["run"].AsString == runId && document["test"].AsString == testId
            ? OwnedResult(document, organizationId)
            : null);
    }

    public Task<Page<TestResult>> ListResultsAsync(string organizationId, ResultQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        // A run's result ids share a prefix, so its results are one range of the _id index, paged without a sort.
        // Selecting them through the run index instead made LiteDB load and sort every result of the run for each
        // page: seconds and hundreds of megabytes per page of a 100,000-test run.
        if (ResultIdRange(query.RunId) is not { } range)
            return Task.FromResult(Page<TestResult>.FromWalk([], page, r => r.Id));
        var status = query.Status?.ToString();
        var verdict = query.Verdict?.ToString();
        var states = Paging.ReadIdRange(db.Results, range.Low, range.High, page,
            d => d["run"].AsString == query.RunId && d["org"].AsString == organizationId
                && (status is null || d["status"].AsString == status)
                && (verdict is null || d["verdict"].AsString == verdict)
                && (query.Ended is not { } ended || RunLifecycle.IsTerminal(Enum.Parse<SlotStatus>(d["status"].AsString)) == ended)
                ? d
                : null,
            d => d["_id"].AsString);
        // Snapshots are joined once the page is read: a shared-mode connection cannot run a second query while a cursor is open.
        return Task.FromResult(new Page<TestResult>(SlotDocuments.ReadWholePage(states.Data, db.Snapshots), states.Before, states.After));
    }

    public Task<TestResult?> FindLatestResultAsync(string organizationId, string testId, Verdict? verdict, CancellationToken cancellationToken = default)
    {
        var query = db.Results.Query()
            .Where(Filter.Eq("test", testId))
            .Where(Filter.Eq("org", organizationId))
            .Where(Filter.Eq("status", SlotStatus.Completed.ToString()));
        if (verdict is not null)
            query = query.Where(Filter.Eq("verdict", verdict.ToString()));
        // The newest picked here, not with OrderBy: LiteDB sorts in a fresh buffer of about a megabyte per query,
        // which made every test read (three of these) churn the large object heap. A test has one result per run.
        var document = query.ToEnumerable().MaxBy(d => d["completed"].AsInt64);
        return Task.FromResult(document is null ? null : Whole(document));
    }

    public Task<IReadOnlyList<VerdictSample>> ListRecentVerdictsAsync(string organizationId, string testId, FlakyWindowKey key, int limit, CancellationToken cancellationToken = default)
    {
        // One range of the "twc" index, read newest first and stopped after the window: the same index selects and orders,
        // so LiteDB neither collects the test's other results nor sorts (see FindLatestResultAsync). Only three small
        // fields are read, never a body.
        var samples = WindowQuery(db.Results, testId, key)
            .Select("{id: $._id, org: $.org, verdict: $.verdict, completed: $.completed}")
            .Limit(limit)
            .ToEnumerable()
            // Test ids are unique across organizations; this only keeps a foreign id from reading another's verdicts.
            .Where(d => d["org"].AsString == organizationId)
            .Select(d => new VerdictSample(d["id"].AsString, Enum.Parse<Verdict>(d["verdict"].AsString), DateTimeOffset.FromUnixTimeMilliseconds(d["completed"].AsInt64)))
            .ToList();
        return Task.FromResult<IReadOnlyList<VerdictSample>>(samples);
    }

    private static readonly BsonValue[] TerminalRunStatuses =
        Enum.GetValues<RunStatus>().Where(RunLifecycle.IsTerminal).Select(s => new BsonValue(s.ToString())).ToArray();

    private TestRun? FindRun(string runId) =>
        db.Runs.FindById(runId) is { } document ? LiteDbContext.FromDocument<TestRun>(document) : null;

    private TestRun SaveRun(TestRun run)
    {
        db.Runs.Update(ToDocument(run));
        return run;
    }

    private void EndActiveSlots(string runId, SlotStatus status, DateTimeOffset at)
    {
        foreach (var document in ActiveSlotDocuments(runId))
            UpdateState(SlotDocuments.ReadState(document) with { Status = status, CompletedAt = at }, document);
    }

    private List<BsonDocument> ActiveSlotDocuments(string runId) =>
        SlotStatesOf(runId)
            .Where(Filter.In("status", RunLifecycle.ActiveSlotStatuses.Select(s => new BsonValue(s.ToString()))))
            .ToList();

    /// <summary>
    /// A stored run's slot states: one range of the id index (<see cref="ResultIdRange"/>). The run is checked too: a run
    /// whose id extends this one's shares the prefix.
    /// </summary>
    private ILiteQueryable<BsonDocument> SlotStatesOf(string runId)
    {
        var (low, high) = ResultIdRange(runId) ?? throw new ArgumentException($"'{runId}' is not a run id.", nameof(runId));
        return db.Results.Query().Where(Filter.Between("_id", low, high)).Where(Filter.Eq("run", runId));
    }

    /// <summary>
    /// The ids a run's results can have: they share a prefix (<see cref="ResultSlots.IdPrefix"/>). Null for an id that is
    /// not a run id (from a user, before any run is found), which has no results.
    /// </summary>
    private static (string Low, string High)? ResultIdRange(string runId)
    {
        if (!ResourceIds.HasPrefix(runId, ResourceIds.Run))
            return null;
        var prefix = ResultSlots.IdPrefix(runId);
        return (prefix, prefix + char.MaxValue);
    }

    /// <summary>
    /// Which of <paramref name="slots"/> are stored already, in one read of their id range: none on a first plan, where a
    /// lookup per slot was a quarter of planning's cost.
    /// </summary>
    private HashSet<string> StoredIdsAmong(IReadOnlyList<TestResult> slots)
    {
        var ids = slots.Select(slot => slot.Id).ToHashSet(StringComparer.Ordinal);
        if (ids.Count == 0)
            return ids;
        var (low, high) = (ids.Min(StringComparer.Ordinal)!, ids.Max(StringComparer.Ordinal)!);
        return db.Results.Query().Where(Filter.Between("_id", low, high)).ToEnumerable()
            .Select(d => d["_id"].AsString).Where(ids.Contains).ToHashSet(StringComparer.Ordinal);
    }

    private void InsertSlot(TestResult slot)
    {
        var (state, snapshot) = SlotDocuments.NewSlot(slot);
        db.Snapshots.Insert(snapshot);
        db.Results.Insert(state);
    }

    /// <summary>
    /// Rewrites the state of the slot stored as <paramref name="stored"/> and returns what is stored now; a whole slot
    /// from an older version is split first.
    /// </summary>
    private BsonDocument UpdateState(TestResult moved, BsonDocument stored)
    {
        var (snapshotToWrite, snapshotBytes) = SlotDocuments.SnapshotToMove(stored);
        var state = SlotDocuments.StateDocument(moved, snapshotBytes);
        if (snapshotToWrite is not null)
            db.Snapshots.Upsert(snapshotToWrite);
        db.Results.Update(state);
        return state;
    }

    /// <summary>
    /// The stored states of the slots <paramref name="events"/> name, in one query of the id index (one seek per id):
    /// a FindById per event, each with its own expression parse and query pipeline, was about a fifth of a batch's write.
    /// </summary>
    private Dictionary<string, BsonDocument> StatesOf(IReadOnlyList<SlotEvent> events)
    {
        var ids = events.Select(e => e.ResultId).Distinct(StringComparer.Ordinal).Select(id => new BsonValue(id));
        return db.Results.Query().Where(Filter.In("_id", ids)).ToEnumerable().ToDictionary(d => d["_id"].AsString, StringComparer.Ordinal);
    }

    private TestResult Whole(BsonDocument state) => SlotDocuments.ReadWhole(state, db.Snapshots);

    private RunCounts CountSlots(string runId) =>
        RunCounts.FromSlots(SlotStatesOf(runId)
            .Select("{status: $.status, verdict: $.verdict}")
            .ToEnumerable()
            .Select(d => (Enum.Parse<SlotStatus>(d["status"].AsString), d["verdict"].IsNull ? (Verdict?)null : Enum.Parse<Verdict>(d["verdict"].AsString))));

    private TestResult? OwnedResult(BsonDocument? document, string organizationId) =>
        document is not null && document["org"].AsString == organizationId ? Whole(document) : null;

    /// <summary>
    /// The completed runs of <paramref name="run"/>'s organization, workflow and scope with smaller ids than its own
    /// (created before it), newest first, straight from the "lineage" index: the same index selects and orders.
    /// </summary>
    internal static ILiteQueryable<BsonDocument> LineageQuery(ILiteCollection<BsonDocument> runs, TestRun run)
    {
        var prefix = $"{run.OrganizationId} {run.WorkflowId} {run.Scope.Key} {RunStatus.Completed} ";
        return runs.Query().Where(Filter.Between(LiteDbContext.RunLineage, prefix, prefix + run.Id)).OrderByDescending(LiteDbContext.RunLineage);
    }

    /// <summary>A test's completed results under <paramref name="key"/>, newest first, straight from the "twc" index.</summary>
    internal static ILiteQueryable<BsonDocument> WindowQuery(ILiteCollection<BsonDocument> results, string testId, FlakyWindowKey key)
    {
        var prefix = SlotDocuments.WindowPrefix(testId, key);
        return results.Query().Where(Filter.Between("twc", prefix, prefix + char.MaxValue)).OrderByDescending("twc");
    }

    private static BsonDocument ToDocument(TestRun run) =>
        LiteDbContext.ToDocument(StoredDocumentKind.Run, run.Id, run,
            ("org", run.OrganizationId),
            ("wf", run.WorkflowId),
            ("scope", run.Scope.Key),
            ("status", run.Status.ToString()),
            ("progress", LiteDbContext.Time(run.LastProgressAt)),
            ("published", run.CompletionPublished));
}
