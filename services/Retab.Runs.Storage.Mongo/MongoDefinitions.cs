using MongoDB.Bson;
using MongoDB.Driver;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Flakiness;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using static Retab.Runs.Storage.Mongo.MongoDocuments;
using static Retab.Runs.Storage.Mongo.MongoSchema;

namespace Retab.Runs.Storage.Mongo;

/// <summary>
/// Every filter, update and pipeline the stores send, built here so unit tests can render them to BSON without a
/// server. Lifecycle moves are conditional single-document updates whose filter is the guard of
/// <see cref="RunLifecycle"/>; count changes are <c>$inc</c> on the run document (DESIGN §5).
/// User values only ever appear as values compared with <c>$eq</c>/<c>$in</c>/<c>$gt</c>… or set with <c>$set</c>,
/// never as field names and never inside an aggregation expression, where a string starting with <c>$</c> would be a path.
/// </summary>
public static class MongoDefinitions
{
    private static FilterDefinitionBuilder<BsonDocument> Filter => Builders<BsonDocument>.Filter;
    private static UpdateDefinitionBuilder<BsonDocument> Update => Builders<BsonDocument>.Update;

    public static FilterDefinition<BsonDocument> ById(BsonValue id) => Filter.Eq(Fields.Id, id);

    /// <summary>The document with this id, if it belongs to the organization: another organization's id reads as absent.</summary>
    public static FilterDefinition<BsonDocument> Owned(string organizationId, string id) =>
        Filter.And(Filter.Eq(Fields.Id, id), Filter.Eq(Fields.OrganizationId, organizationId));

    // ---- pagination -----------------------------------------------------------------------------------------

    /// <summary>The query for one page (see <see cref="MongoPaging"/>): the filter with the cursor, the sort, and how many to read.</summary>
    public static (FilterDefinition<BsonDocument> Filter, SortDefinition<BsonDocument> Sort, int Take) PageQuery(FilterDefinition<BsonDocument> filter, PageRequest page)
    {
        if (page.Cursor is { } cursor)
            filter = Filter.And(filter, page.ReadsAscending ? Filter.Gt(Fields.Id, cursor) : Filter.Lt(Fields.Id, cursor));
        var sort = page.ReadsAscending ? Builders<BsonDocument>.Sort.Ascending(Fields.Id) : Builders<BsonDocument>.Sort.Descending(Fields.Id);
        return (filter, sort, page.ItemsToRead);
    }

    // ---- workflows and tests --------------------------------------------------------------------------------

    public static FilterDefinition<BsonDocument> WorkflowsOf(string organizationId) => Filter.Eq(Fields.OrganizationId, organizationId);

    /// <summary>The workflow, if it belongs to the organization and its draft is still the one the caller changed.</summary>
    public static FilterDefinition<BsonDocument> WorkflowAtDraft(string organizationId, string workflowId, int expectedDraftNumber) =>
        Filter.And(Owned(organizationId, workflowId), Filter.Eq(Fields.DraftNumber, expectedDraftNumber));

    /// <summary>Replaces a workflow's content; <c>tests_changed_at</c> only moves forward, whatever the caller's copy says.</summary>
    /// <remarks>The workflow is measured as a whole document first (<see cref="MongoDocuments.Bounded"/>): it replaces one.</remarks>
    public static UpdateDefinition<BsonDocument> ReplaceWorkflow(Core.Workflows.Workflow workflow) => Update
        .Set(Fields.Body, MongoDocuments.ToDocument(workflow)[Fields.Body])
        .Set(Fields.DraftNumber, workflow.DraftNumber)
        .Max(Fields.TestsChangedAt, Time(workflow.TestsChangedAt));

    public static UpdateDefinition<BsonDocument> MarkTestsChanged(DateTimeOffset at) => Update.Max(Fields.TestsChangedAt, Time(at));

    public static FilterDefinition<BsonDocument> TestsOf(string organizationId, string workflowId, string? targetBlockId = null)
    {
        var filter = Filter.And(Filter.Eq(Fields.OrganizationId, organizationId), Filter.Eq(Fields.WorkflowId, workflowId));
        return targetBlockId is null ? filter : Filter.And(filter, Filter.Eq(Fields.TargetBlockId, targetBlockId));
    }

    /// <summary>The workflow's tests among <paramref name="testIds"/> (a rerun's selection, a chunk of a planned scope).</summary>
    public static FilterDefinition<BsonDocument> TestsOf(string organizationId, string workflowId, IEnumerable<string> testIds) =>
        Filter.And(TestsOf(organizationId, workflowId), Filter.In(Fields.Id, testIds));

    /// <summary>Test ids in ascending order: the planner reads a scope in id order; <c>_id</c> compares as binary UTF-8, the ordinal order.</summary>
    public static readonly SortDefinition<BsonDocument> ByTestId = Builders<BsonDocument>.Sort.Ascending(Fields.Id);

    /// <summary>Only the id: what planning a huge scope lists before it reads the tests a chunk at a time.</summary>
    public static readonly ProjectionDefinition<BsonDocument> IdOnly = Builders<BsonDocument>.Projection.Include(Fields.Id);

    // ---- runs -----------------------------------------------------------------------------------------------

    /// <summary>The filters of <c>GET /v1/workflows/tests/runs</c>, all evaluated by the server.</summary>
    public static FilterDefinition<BsonDocument> RunList(string organizationId, RunQuery query)
    {
        var filters = new List<FilterDefinition<BsonDocument>> { Filter.Eq(Fields.OrganizationId, organizationId) };
        if (query.WorkflowId is not null)
            filters.Add(Filter.Eq(Fields.WorkflowId, query.WorkflowId));
        if (query.TestId is not null)
            filters.Add(Filter.Eq(Fields.TestId, query.TestId));
        if (query.TargetBlockId is not null)
            filters.Add(Filter.Eq(Fields.TargetBlockId, query.TargetBlockId));
        if (query.Status is { } status)
            filters.Add(Filter.Eq(Fields.Status, Name(status)));
        if (query.ExcludeStatus is { } excluded)
            filters.Add(Filter.Ne(Fields.Status, Name(excluded)));
        if (query.TriggerType is not null)
            filters.Add(Filter.Eq(Fields.TriggerType, query.TriggerType));
        if (query.FromDate is { } from)
            filters.Add(Filter.Gte(Fields.CreatedAt, Time(from)));
        if (query.ToDate is { } to)
            filters.Add(Filter.Lte(Fields.CreatedAt, Time(to)));
        return Filter.And(filters);
    }

    /// <summary>The organization's pending, queued and running runs (served by the index on organization, workflow and creation).</summary>
    public static FilterDefinition<BsonDocument> RunsInProgress(string organizationId) => Filter.And(
        Filter.Eq(Fields.OrganizationId, organizationId),
        Filter.In(Fields.Status, Names(RunLifecycle.ActiveRunStatuses)));

    /// <summary>Every organization's pending, queued and running runs (served by the index on status and last progress).</summary>
    public static FilterDefinition<BsonDocument> ActiveRuns() => Filter.In(Fields.Status, Names(RunLifecycle.ActiveRunStatuses));

    /// <summary>
    /// The guard of a run move: the run is still in the state the caller read (which is one of
    /// <see cref="RunLifecycle.RunSourcesFor"/> of the target). Exactly one of many concurrent movers matches.
    /// </summary>
    public static FilterDefinition<BsonDocument> RunMove(string runId, RunStatus observed, RunStatus to)
    {
        if (!RunLifecycle.CanMove(observed, to))
            throw new ArgumentException($"A run cannot move from {observed} to {to}.", nameof(observed));
        return Filter.And(ById(runId), Filter.Eq(Fields.Status, Name(observed)));
    }

    /// <summary>The run, while it is in one of <paramref name="statuses"/>.</summary>
    public static FilterDefinition<BsonDocument> RunIn(string runId, IEnumerable<RunStatus> statuses) =>
        Filter.And(ById(runId), Filter.In(Fields.Status, Names(statuses)));

    /// <summary>
    /// pending → queued: the slots exist; the counts are taken from them, and the inputs fingerprint from the tests read
    /// to make them (null: the run keeps the one it was created with).
    /// </summary>
    public static UpdateDefinition<BsonDocument> QueueRun(RunCounts counts, DateTimeOffset at, string? inputsFingerprint = null)
    {
        var update = Update
            .Set(Fields.Status, Name(RunStatus.Queued))
            .Set(Fields.TotalTests, counts.Total)
            .Set(Fields.Counts, MongoDocuments.Counts(counts));
        if (inputsFingerprint is not null)
            update = update.Set(Fields.InputsFingerprint, inputsFingerprint);
        return update.Max(Fields.LastProgressAt, Time(at));
    }

    /// <summary>
    /// → error: a run that could not be planned. <paramref name="counts"/> are those of a run that never had slots
    /// (<see cref="RunEnding.CountsWithoutSlots"/>); without them, the counts follow once its slots ended (<see cref="SetCounts"/>).
    /// </summary>
    public static UpdateDefinition<BsonDocument> FailRun(RunError error, RunCounts? counts, DateTimeOffset at) => WithCounts(Update
        .Set(Fields.Status, Name(RunStatus.Error))
        .Set(Fields.Error, BodyText(error))
        .Set(Fields.CompletedAt, Time(at))
        .Set(Fields.LastProgressAt, Time(at)), counts);

    /// <summary>The count change of a batch of slot moves: <c>$inc</c> only, so concurrent batches never conflict.</summary>
    public static UpdateDefinition<BsonDocument> IncrementCounts(RunCounts delta, DateTimeOffset at)
    {
        var updates = CountChanges(delta).Select(change => Update.Inc(change.Field, change.Delta)).ToList();
        updates.Add(Update.Max(Fields.LastProgressAt, Time(at)));
        return Update.Combine(updates);
    }

    /// <summary>queued → running, on a run's first slot event (guarded by <see cref="RunMove"/>).</summary>
    public static UpdateDefinition<BsonDocument> StartRun(DateTimeOffset at) => Update
        .Set(Fields.Status, Name(RunStatus.Running))
        .Set(Fields.StartedAt, Time(at));

    /// <summary>→ completed, with the counts recomputed from the slots once all are terminal and sealed, so final.</summary>
    public static UpdateDefinition<BsonDocument> CompleteRun(RunCounts counts, DateTimeOffset startedAt, DateTimeOffset at) => Update
        .Set(Fields.Status, Name(RunStatus.Completed))
        .Set(Fields.Counts, MongoDocuments.Counts(counts))
        .Set(Fields.StartedAt, Time(startedAt))
        .Set(Fields.CompletedAt, Time(at))
        .Set(Fields.LastProgressAt, Time(at));

    /// <summary>→ cancelled, with <paramref name="counts"/> as for <see cref="FailRun"/>.</summary>
    public static UpdateDefinition<BsonDocument> CancelRun(string? reason, RunCounts? counts, DateTimeOffset at) => WithCounts(Update
        .Set(Fields.Status, Name(RunStatus.Cancelled))
        .Set(Fields.CancelReason, Text(reason))
        .Set(Fields.CompletedAt, Time(at))
        .Set(Fields.LastProgressAt, Time(at)), counts);

    /// <summary>
    /// The completed runs of <paramref name="run"/>'s organization, workflow and scope created before it, newest first
    /// (served by the index on organization, workflow and id; status and scope filter what it reads).
    /// </summary>
    public static (FilterDefinition<BsonDocument> Filter, SortDefinition<BsonDocument> Sort) PreviousCompletedRun(TestRun run) => (
        Filter.And(
            Filter.Eq(Fields.OrganizationId, run.OrganizationId),
            Filter.Eq(Fields.WorkflowId, run.WorkflowId),
            Filter.Lt(Fields.Id, run.Id),
            Filter.Eq(Fields.Status, Name(RunStatus.Completed)),
            Filter.Eq(Fields.ScopeKey, run.Scope.Key)),
        Builders<BsonDocument>.Sort.Descending(Fields.Id));

    /// <summary>A run whose comparison with its previous run may be set: about to complete (active), or completed.</summary>
    public static FilterDefinition<BsonDocument> RunEndingInCompleted(string runId) =>
        Filter.And(ById(runId), Filter.Nin(Fields.Status, Names([RunStatus.Error, RunStatus.Cancelled])));

    public static UpdateDefinition<BsonDocument> RecordChanges(string baselineRunId, int regressions, int fixes) => Update
        .Set(Fields.BaselineRunId, baselineRunId)
        .Set(Fields.Regressions, regressions)
        .Set(Fields.Fixes, fixes);

    public static UpdateDefinition<BsonDocument> SetCounts(RunCounts counts) => Update.Set(Fields.Counts, MongoDocuments.Counts(counts));

    private static UpdateDefinition<BsonDocument> WithCounts(UpdateDefinition<BsonDocument> update, RunCounts? counts) =>
        counts is null ? update : update.Set(Fields.Counts, MongoDocuments.Counts(counts));

    public static UpdateDefinition<BsonDocument> MarkStartPublished() => Update.Set(Fields.StartPublished, true);

    public static UpdateDefinition<BsonDocument> MarkCompletionPublished() => Update.Set(Fields.CompletionPublished, true);

    /// <summary>Active runs whose last slot move is older than <paramref name="stalledBefore"/>.</summary>
    public static FilterDefinition<BsonDocument> StalledRuns(DateTimeOffset stalledBefore) => Filter.And(
        Filter.In(Fields.Status, Names(RunLifecycle.ActiveRunStatuses)),
        Filter.Lt(Fields.LastProgressAt, Time(stalledBefore)));

    /// <summary>Terminal runs whose <c>TestRunCompleted</c> was never published.</summary>
    public static FilterDefinition<BsonDocument> UnpublishedTerminalRuns() => Filter.And(
        Filter.Eq(Fields.CompletionPublished, false),
        Filter.In(Fields.Status, Names(Enum.GetValues<RunStatus>().Where(RunLifecycle.IsTerminal))));

    // ---- result slots ---------------------------------------------------------------------------------------

    public static FilterDefinition<BsonDocument> SlotsOf(string runId) => Filter.Eq(Fields.RunId, runId);

    public static FilterDefinition<BsonDocument> SlotsByIds(IEnumerable<string> resultIds) => Filter.In(Fields.Id, resultIds);

    public static FilterDefinition<BsonDocument> ActiveSlotsOf(string runId) =>
        Filter.And(SlotsOf(runId), Filter.In(Fields.Status, Names(RunLifecycle.ActiveSlotStatuses)));

    /// <summary>
    /// The guard of one slot write: the slot is unchanged since it was read (<c>rev</c>), which pins the status the
    /// count delta was computed from and that it was not sealed; and, stated as the lifecycle rule, its status is one the
    /// target may be reached from (<see cref="RunLifecycle.SlotSourcesFor"/>) — or, for a write outside those moves (a
    /// result arriving after cancel, a worker's result replacing <c>worker_lost</c>), still the status it was read in.
    /// </summary>
    public static FilterDefinition<BsonDocument> SlotWrite(string resultId, long observedRevision, SlotStatus from, SlotStatus to)
    {
        var status = RunLifecycle.CanMove(from, to)
            ? Filter.In(Fields.Status, Names(RunLifecycle.SlotSourcesFor(to)))
            : Filter.Eq(Fields.Status, Name(from));
        return Filter.And(ById(resultId), Filter.Eq(Fields.Revision, observedRevision), status);
    }

    /// <summary>
    /// The new state of a slot after its events (body and every overlaid field), stamped with the write's token. Built from
    /// the whole slot document, so the slot is measured as it will be stored before any write of its batch is sent
    /// (<see cref="DocumentTooLargeException"/> names it).
    /// </summary>
    public static UpdateDefinition<BsonDocument> WriteSlot(TestResult slot, ObjectId token)
    {
        var stored = MongoDocuments.ToDocument(slot);
        return Update
            .Set(Fields.Status, stored[Fields.Status])
            .Set(Fields.Verdict, stored[Fields.Verdict])
            .Set(Fields.CompletedAt, stored[Fields.CompletedAt])
            .Set(Fields.Attempt, stored[Fields.Attempt])
            .Set(Fields.Deadline, stored[Fields.Deadline])
            .Set(Fields.Body, stored[Fields.Body])
            .Inc(Fields.Revision, 1L)
            .PushEach(Fields.Applied, [token], slice: -AppliedHistory);
    }

    /// <summary>Slots of this batch whose write landed (their token is in <c>applied</c>).</summary>
    public static FilterDefinition<BsonDocument> SlotsWrittenBy(IEnumerable<string> resultIds, ObjectId token) =>
        Filter.And(SlotsByIds(resultIds), Filter.Eq(Fields.Applied, token));

    /// <summary>
    /// Ends the active slots of an ending run in one update, as <see cref="RunEnding.SlotsEndWith"/> says (also those its
    /// planning created when it lost a race with cancel or failure). Bumps the revision: a slot write computed before
    /// loses its guard, re-reads the ended slot and does what it says there.
    /// </summary>
    public static UpdateDefinition<BsonDocument> EndSlots(SlotStatus status, DateTimeOffset at) => Update
        .Set(Fields.Status, Name(status))
        .Set(Fields.CompletedAt, Time(at))
        .Inc(Fields.Revision, 1L);

    /// <summary>
    /// The slots of a run that a worker's late result could still move once the run has ended: those in error (among them
    /// every <c>worker_lost</c>; the error code is in the body, out of a filter's reach), not yet sealed.
    /// </summary>
    public static FilterDefinition<BsonDocument> UnsealedErrorSlotsOf(string runId) => Filter.And(
        SlotsOf(runId), Filter.Eq(Fields.Status, Name(SlotStatus.Error)), Filter.Ne(Fields.Sealed, true));

    /// <summary>
    /// Seals slots of an ending run before its final count: bumping the revision makes a late result that read the slot
    /// unsealed lose its guard and re-read it sealed, where it changes nothing (<see cref="Fields.Sealed"/>).
    /// </summary>
    public static UpdateDefinition<BsonDocument> SealSlots() => Update
        .Set(Fields.Sealed, true)
        .Inc(Fields.Revision, 1L);

    /// <summary>A slot the sweeper may re-send: still active, and still at the attempt it saw (so two sweepers bump it once).</summary>
    public static FilterDefinition<BsonDocument> ResendableSlot(string resultId, int seenAttempt) => Filter.And(
        ById(resultId), Filter.In(Fields.Status, Names(RunLifecycle.ActiveSlotStatuses)), Filter.Eq(Fields.Attempt, seenAttempt));

    /// <summary>The next attempt and its deadline; the status stays, so the counts do.</summary>
    public static UpdateDefinition<BsonDocument> RequeueSlot(DateTimeOffset deadline) => Update
        .Inc(Fields.Attempt, 1)
        .Set(Fields.Deadline, Time(deadline))
        .Inc(Fields.Revision, 1L);

    public static FilterDefinition<BsonDocument> ResultByTest(string organizationId, string runId, string testId) => Filter.And(
        Filter.Eq(Fields.RunId, runId), Filter.Eq(Fields.TestId, testId), Filter.Eq(Fields.OrganizationId, organizationId));

    public static FilterDefinition<BsonDocument> ResultList(string organizationId, ResultQuery query)
    {
        var filters = new List<FilterDefinition<BsonDocument>> { Filter.Eq(Fields.RunId, query.RunId), Filter.Eq(Fields.OrganizationId, organizationId) };
        if (query.Status is { } status)
            filters.Add(Filter.Eq(Fields.Status, Name(status)));
        if (query.Verdict is { } verdict)
            filters.Add(Filter.Eq(Fields.Verdict, Name(verdict)));
        if (query.Ended is { } ended)
            filters.Add(ended
                ? Filter.Nin(Fields.Status, Names(RunLifecycle.ActiveSlotStatuses))
                : Filter.In(Fields.Status, Names(RunLifecycle.ActiveSlotStatuses)));
        return Filter.And(filters);
    }

    public static (FilterDefinition<BsonDocument> Filter, SortDefinition<BsonDocument> Sort) LatestResult(string organizationId, string testId, Verdict? verdict)
    {
        var filters = new List<FilterDefinition<BsonDocument>>
        {
            Filter.Eq(Fields.TestId, testId),
            Filter.Eq(Fields.Status, Name(SlotStatus.Completed)),
            Filter.Eq(Fields.OrganizationId, organizationId),
        };
        if (verdict is { } wanted)
            filters.Add(Filter.Eq(Fields.Verdict, Name(wanted)));
        return (Filter.And(filters), Builders<BsonDocument>.Sort.Descending(Fields.CompletedAt).Descending(Fields.Id));
    }

    /// <summary>
    /// A test's completed results under one flaky window key, newest first, reading only what the flaky rule needs; served
    /// by the index <c>test_id_flaky_window_status_completed_at_id</c>. The caller limits it to the window.
    /// </summary>
    public static (FilterDefinition<BsonDocument> Filter, SortDefinition<BsonDocument> Sort, ProjectionDefinition<BsonDocument> Projection) RecentVerdicts(
        string organizationId, string testId, FlakyWindowKey key) =>
    (
        Filter.And(
            Filter.Eq(Fields.TestId, testId),
            Filter.Eq(Fields.FlakyWindow, key.Fingerprint),
            Filter.Eq(Fields.Status, Name(SlotStatus.Completed)),
            Filter.Eq(Fields.OrganizationId, organizationId)),
        Builders<BsonDocument>.Sort.Descending(Fields.CompletedAt).Descending(Fields.Id),
        Builders<BsonDocument>.Projection.Include(Fields.Id).Include(Fields.Verdict).Include(Fields.CompletedAt)
    );

    /// <summary>Reads a document of <see cref="RecentVerdicts"/>.</summary>
    public static VerdictSample ReadVerdictSample(BsonDocument document) =>
        new(document[Fields.Id].AsString, ReadVerdict(document[Fields.Verdict]) ?? throw new InvalidDataException($"Completed result {document[Fields.Id]} has no verdict."),
            ReadTime(document[Fields.CompletedAt]));

    /// <summary>How many of a run's slots are in each (status, verdict): the source of truth for the counts.</summary>
    public static PipelineDefinition<BsonDocument, BsonDocument> CountSlots(string runId) => new BsonDocument[]
    {
        new("$match", new BsonDocument(Fields.RunId, runId)),
        new("$group", new BsonDocument
        {
            { "_id", new BsonDocument { { "s", "$" + Fields.Status }, { "v", "$" + Fields.Verdict } } },
            { "n", new BsonDocument("$sum", 1) },
        }),
    };

    /// <summary>Reads the output of <see cref="CountSlots"/>.</summary>
    public static RunCounts ReadSlotCounts(IEnumerable<BsonDocument> groups) =>
        RunCounts.FromSlots(groups.SelectMany(group =>
        {
            var key = group["_id"].AsBsonDocument;
            var status = ReadSlotStatus(key["s"]);
            var verdict = ReadVerdict(key.GetValue("v", BsonNull.Value));
            return Enumerable.Repeat((status, verdict), group["n"].ToInt32());
        }));

    // ---- api keys -------------------------------------------------------------------------------------------

    /// <summary>The key with this hash. A key stored before key ids existed has its hash as <c>_id</c> and no <c>key_hash</c>.</summary>
    public static FilterDefinition<BsonDocument> ApiKeyByHash(string keyHash) =>
        Filter.Or(Filter.Eq(Fields.KeyHash, keyHash), ById(keyHash));

    /// <summary>The keys of one organization, or every key when <paramref name="organizationId"/> is null.</summary>
    public static FilterDefinition<BsonDocument> ApiKeysOf(string? organizationId) =>
        organizationId is null ? Filter.Empty : Filter.Eq(Fields.OrganizationId, organizationId);

    // ---- idempotency ----------------------------------------------------------------------------------------

    /// <summary>The record for the key, if it is older than 24 h before <paramref name="at"/>: it no longer binds the key.</summary>
    /// <summary>The key's record while it is a claim (no response yet).</summary>
    public static FilterDefinition<BsonDocument> IdempotencyClaim(string organizationId, string key) => Filter.And(
        ById(IdempotencyId(organizationId, key)),
        Filter.Eq(Fields.InProgress, true));

    public static FilterDefinition<BsonDocument> ExpiredIdempotencyRecord(string organizationId, string key, DateTimeOffset at) => Filter.And(
        ById(IdempotencyId(organizationId, key)),
        Filter.Lte(Fields.CreatedAt, Time(at.AddHours(-24))));
}
