using System.Text.Json;
using System.Text.Json.Serialization;
using MongoDB.Bson;
using Retab.Runs.Core.Flakiness;
using Retab.Runs.Core.Limits;
using Retab.Runs.Core.Organizations;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;
using static Retab.Runs.Storage.Mongo.MongoSchema;

namespace Retab.Runs.Storage.Mongo;

/// <summary>
/// Domain objects ↔ BSON documents. Each document holds the whole object as System.Text.Json text in
/// <c>body</c> (a BSON string: user JSON — inputs, outputs, expected values — round-trips byte for byte and its keys,
/// <c>$gt</c>, <c>a.b</c> or <c>""</c>, are never BSON field names, so never operators or paths), next to fixed-name fields
/// that queries, indexes and atomic updates use. Fields that atomic updates change (status, counts, times, attempts)
/// are authoritative: reading overlays them on the body. Every document built here to be written is measured first
/// (<see cref="Bounded"/>), so a write over <see cref="ServiceLimits.MaxStoredDocumentBytes"/> fails with
/// <see cref="DocumentTooLargeException"/> before it is sent, never with the server's error after part of a batch landed.
/// </summary>
public static class MongoDocuments
{
    /// <summary>
    /// Accepts <see cref="ServiceLimits.InternalJsonDepth"/> levels both ways, so whatever the gateway or the bus let
    /// through is written and read back. The body is a BSON string, so MongoDB's own nesting limit (100) never applies.
    /// </summary>
    public static readonly JsonSerializerOptions BodyJson = new()
    {
        MaxDepth = ServiceLimits.InternalJsonDepth,
        IgnoreReadOnlyProperties = true,
        Converters = { new JsonStringEnumConverter() },
    };

    // ---- values ---------------------------------------------------------------------------------------------

    /// <summary>Times as BSON dates (UTC milliseconds; the domain's clock is millisecond-truncated).</summary>
    public static BsonValue Time(DateTimeOffset at) => new BsonDateTime(at.ToUnixTimeMilliseconds());

    public static BsonValue Time(DateTimeOffset? at) => at is { } value ? Time(value) : BsonNull.Value;

    public static DateTimeOffset ReadTime(BsonValue value) => DateTimeOffset.FromUnixTimeMilliseconds(value.AsBsonDateTime.MillisecondsSinceEpoch);

    public static DateTimeOffset? ReadOptionalTime(BsonDocument document, string field) =>
        document.TryGetValue(field, out var value) && !value.IsBsonNull ? ReadTime(value) : null;

    public static BsonValue Text(string? value) => value is null ? BsonNull.Value : new BsonString(value);

    public static string? ReadText(BsonDocument document, string field) =>
        document.TryGetValue(field, out var value) && !value.IsBsonNull ? value.AsString : null;

    public static BsonValue Number(int? value) => value is { } number ? new BsonInt32(number) : BsonNull.Value;

    public static int? ReadNumber(BsonDocument document, string field) =>
        document.TryGetValue(field, out var value) && !value.IsBsonNull ? value.ToInt32() : null;

    public static string Name(RunStatus status) => status.ToString().ToLowerInvariant();

    public static string Name(SlotStatus status) => status.ToString().ToLowerInvariant();

    public static string Name(Verdict verdict) => verdict.ToString().ToLowerInvariant();

    public static BsonArray Names(IEnumerable<RunStatus> statuses) => new(statuses.Select(Name));

    public static BsonArray Names(IEnumerable<SlotStatus> statuses) => new(statuses.Select(Name));

    public static RunStatus ReadRunStatus(BsonValue value) => Enum.Parse<RunStatus>(value.AsString, ignoreCase: true);

    public static SlotStatus ReadSlotStatus(BsonValue value) => Enum.Parse<SlotStatus>(value.AsString, ignoreCase: true);

    public static Verdict? ReadVerdict(BsonValue? value) =>
        value is null || value.IsBsonNull ? null : Enum.Parse<Verdict>(value.AsString, ignoreCase: true);

    public static string BodyText<T>(T value) => JsonSerializer.Serialize(value, BodyJson);

    private static T FromJson<T>(BsonDocument document) =>
        JsonSerializer.Deserialize<T>(document[Fields.Body].AsString, BodyJson)
        ?? throw new InvalidDataException($"Document {document[Fields.Id]} has an empty body.");

    /// <summary>
    /// <paramref name="document"/>, once its BSON size plus <paramref name="reservedBytes"/> (what later updates add to it)
    /// is known to fit; <see cref="DocumentTooLargeException"/> otherwise.
    /// </summary>
    public static BsonDocument Bounded(string kind, string id, BsonDocument document, int reservedBytes = 0)
    {
        DocumentTooLargeException.ThrowIfTooLarge(kind, id, document.ToBson().Length + (long)reservedBytes);
        return document;
    }

    // ---- counts ---------------------------------------------------------------------------------------------

    public static BsonDocument Counts(RunCounts counts) => new()
    {
        { CountFields.Pending, counts.Pending },
        { CountFields.Queued, counts.Queued },
        { CountFields.Running, counts.Running },
        { CountFields.Completed, counts.Completed },
        { CountFields.Error, counts.Error },
        { CountFields.Cancelled, counts.Cancelled },
        { CountFields.Passed, counts.Passed },
        { CountFields.Failed, counts.Failed },
        { CountFields.Blocked, counts.Blocked },
    };

    public static RunCounts ReadCounts(BsonDocument counts)
    {
        int Get(string field) => counts.TryGetValue(field, out var value) ? value.ToInt32() : 0;
        return new RunCounts(
            Get(CountFields.Pending), Get(CountFields.Queued), Get(CountFields.Running), Get(CountFields.Completed),
            Get(CountFields.Error), Get(CountFields.Cancelled), Get(CountFields.Passed), Get(CountFields.Failed), Get(CountFields.Blocked));
    }

    /// <summary>The non-zero members of a count change, as (field path, delta) for <c>$inc</c>.</summary>
    public static IEnumerable<(string Field, int Delta)> CountChanges(RunCounts delta)
    {
        var values = new[] { delta.Pending, delta.Queued, delta.Running, delta.Completed, delta.Error, delta.Cancelled, delta.Passed, delta.Failed, delta.Blocked };
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] != 0)
                yield return ($"{Fields.Counts}.{CountFields.All[i]}", values[i]);
        }
    }

    // ---- workflows and tests --------------------------------------------------------------------------------

    public static BsonDocument ToDocument(Workflow workflow) => Bounded(StoredDocumentKind.Workflow, workflow.Id, new()
    {
        { Fields.Id, workflow.Id },
        { Fields.OrganizationId, workflow.OrganizationId },
        { Fields.DraftNumber, workflow.DraftNumber },
        { Fields.TestsChangedAt, Time(workflow.TestsChangedAt) },
        { Fields.Body, BodyText(workflow) },
    });

    public static Workflow ToWorkflow(BsonDocument document) => FromJson<Workflow>(document) with
    {
        DraftNumber = document[Fields.DraftNumber].ToInt32(),
        TestsChangedAt = ReadTime(document[Fields.TestsChangedAt]),
    };

    public static BsonDocument ToDocument(WorkflowTest test) => Bounded(StoredDocumentKind.Test, test.Id, new()
    {
        { Fields.Id, test.Id },
        { Fields.OrganizationId, test.OrganizationId },
        { Fields.WorkflowId, test.WorkflowId },
        { Fields.TargetBlockId, test.TargetBlockId },
        { Fields.Body, BodyText(test) },
    });

    public static WorkflowTest ToTest(BsonDocument document) => FromJson<WorkflowTest>(document);

    // ---- runs -----------------------------------------------------------------------------------------------

    public static BsonDocument ToDocument(TestRun run) => Bounded(StoredDocumentKind.Run, run.Id, new()
    {
        { Fields.Id, run.Id },
        { Fields.OrganizationId, run.OrganizationId },
        { Fields.WorkflowId, run.WorkflowId },
        { Fields.TestId, Text(run.TestId) },
        { Fields.TargetBlockId, Text(run.TargetBlockId) },
        { Fields.TriggerType, run.TriggerType },
        { Fields.Status, Name(run.Status) },
        { Fields.CreatedAt, Time(run.CreatedAt) },
        { Fields.StartedAt, Time(run.StartedAt) },
        { Fields.CompletedAt, Time(run.CompletedAt) },
        { Fields.LastProgressAt, Time(run.LastProgressAt) },
        { Fields.StartPublished, run.StartPublished },
        { Fields.CompletionPublished, run.CompletionPublished },
        { Fields.TotalTests, run.TotalTests },
        { Fields.Counts, Counts(run.Counts) },
        { Fields.Error, run.Error is null ? BsonNull.Value : BodyText(run.Error) },
        { Fields.CancelReason, Text(run.CancelReason) },
        { Fields.ScopeKey, run.Scope.Key },
        { Fields.RerunOf, Text(run.RerunOf) },
        { Fields.BaselineRunId, Text(run.BaselineRunId) },
        { Fields.Regressions, Number(run.Regressions) },
        { Fields.Fixes, Number(run.Fixes) },
        { Fields.Body, BodyText(run) },
    });

    public static TestRun ToRun(BsonDocument document)
    {
        var run = FromJson<TestRun>(document);
        return run with
        {
            Status = ReadRunStatus(document[Fields.Status]),
            TotalTests = document[Fields.TotalTests].ToInt32(),
            Counts = ReadCounts(document[Fields.Counts].AsBsonDocument),
            StartedAt = ReadOptionalTime(document, Fields.StartedAt),
            CompletedAt = ReadOptionalTime(document, Fields.CompletedAt),
            LastProgressAt = ReadTime(document[Fields.LastProgressAt]),
            // Runs stored before the field existed read as unannounced: a running one is announced (again) once.
            StartPublished = document.GetValue(Fields.StartPublished, false).ToBoolean(),
            CompletionPublished = document[Fields.CompletionPublished].ToBoolean(),
            Error = ReadText(document, Fields.Error) is { } error ? JsonSerializer.Deserialize<RunError>(error, BodyJson) : null,
            CancelReason = ReadText(document, Fields.CancelReason),
            // Set when the run is queued; a run queued before the field existed has it in its body.
            InputsFingerprint = ReadText(document, Fields.InputsFingerprint) ?? run.InputsFingerprint,
            // Set by an update after completion (RecordChanges), so the body never holds them.
            BaselineRunId = ReadText(document, Fields.BaselineRunId),
            Regressions = ReadNumber(document, Fields.Regressions),
            Fixes = ReadNumber(document, Fields.Fixes),
        };
    }

    // ---- result slots ---------------------------------------------------------------------------------------

    /// <summary>
    /// A slot as inserted, and as it is after a write (<see cref="MongoDefinitions.WriteSlot"/>), with room for a full
    /// <c>applied</c> list and the <c>sealed</c> flag its run's ending may add.
    /// </summary>
    public static BsonDocument ToDocument(TestResult slot) => Bounded(StoredDocumentKind.Result, slot.Id, new()
    {
        { Fields.Id, slot.Id },
        { Fields.OrganizationId, slot.OrganizationId },
        { Fields.RunId, slot.RunId },
        { Fields.TestId, slot.TestId },
        { Fields.WorkflowId, slot.WorkflowId },
        { Fields.Status, Name(slot.Status) },
        { Fields.Verdict, slot.Verdict is { } verdict ? Name(verdict) : BsonNull.Value },
        { Fields.CompletedAt, Time(slot.CompletedAt) },
        { Fields.FlakyWindow, FlakyWindowKey.Of(slot.Fingerprints).Fingerprint },
        { Fields.Attempt, slot.Attempt },
        { Fields.Deadline, Time(slot.Deadline) },
        { Fields.Revision, 0L },
        { Fields.Applied, new BsonArray() },
        { Fields.Body, BodyText(slot) },
    }, ReservedSlotBytes);

    /// <summary>What later updates may add to a slot as inserted: the entries of "applied" and the "sealed" flag.</summary>
    public const int ReservedSlotBytes = AppliedHistoryBytes + SealedFlagBytes;

    // Each entry of "applied": type byte, index name of at most two digits and its terminator, a 12-byte ObjectId.
    private const int AppliedHistoryBytes = AppliedHistory * (1 + 3 + 12);

    // Type byte, "sealed" and its terminator, one boolean byte.
    private const int SealedFlagBytes = 1 + 7 + 1;

    public static TestResult ToResult(BsonDocument document) => FromJson<TestResult>(document) with
    {
        Status = ReadSlotStatus(document[Fields.Status]),
        Verdict = ReadVerdict(document.GetValue(Fields.Verdict, BsonNull.Value)),
        CompletedAt = ReadOptionalTime(document, Fields.CompletedAt),
        Attempt = document[Fields.Attempt].ToInt32(),
        Deadline = ReadTime(document[Fields.Deadline]),
    };

    public static long Revision(BsonDocument document) => document.GetValue(Fields.Revision, 0L).ToInt64();

    /// <summary>Whether the slot's run has ended, as far as a worker's late result is concerned (see <see cref="Fields.Sealed"/>).</summary>
    public static bool IsSealed(BsonDocument document) => document.GetValue(Fields.Sealed, false).ToBoolean();

    // ---- api keys and idempotency ---------------------------------------------------------------------------

    public static BsonDocument ToDocument(ApiKey key) => Bounded(StoredDocumentKind.ApiKey, key.KeyHash, new()
    {
        { Fields.Id, key.Id },
        { Fields.OrganizationId, key.OrganizationId },
        { Fields.KeyHash, key.KeyHash },
        { Fields.Body, BodyText(key) },
    });

    /// <summary>The <c>_id</c> is authoritative: the body of a key stored before key ids existed has none (and reads as <see cref="ApiKeyOrigin.Legacy"/>).</summary>
    public static ApiKey ToApiKey(BsonDocument document) => FromJson<ApiKey>(document) with { Id = document[Fields.Id].AsString };

    /// <summary>
    /// The id of an idempotency record: organization and key as two strings of a sub-document, so no separator can
    /// make two pairs collide.
    /// </summary>
    public static BsonDocument IdempotencyId(string organizationId, string key) => new()
    {
        { Fields.OrganizationId, organizationId },
        { Fields.Key, key },
    };

    public static BsonDocument ToDocument(IdempotencyRecord record, TimeSpan? retention)
    {
        var document = new BsonDocument
        {
            { Fields.Id, IdempotencyId(record.OrganizationId, record.Key) },
            { Fields.CreatedAt, Time(record.CreatedAt) },
            { Fields.InProgress, record.InProgress },
        };
        if (retention is { } keep && keep > TimeSpan.Zero)
            document[Fields.ExpiresAt] = Time(record.CreatedAt + keep);
        document[Fields.Body] = BodyText(record);
        return Bounded(StoredDocumentKind.IdempotencyRecord, $"{record.OrganizationId}|{record.Key}", document);
    }

    public static IdempotencyRecord ToIdempotencyRecord(BsonDocument document) => FromJson<IdempotencyRecord>(document);
}
