using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Flakiness;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.LiteDb;

/// <summary>
/// A result slot is stored in two parts. Its snapshot (block config, handle inputs, assertion: the bulk of the slot,
/// written once at planning) lives in <see cref="LiteDbContext.Snapshots"/>; its state (everything else, the fields
/// that move, and the fields queries and indexes need) lives in <see cref="LiteDbContext.Results"/>. A slot move then
/// reads and rewrites a few hundred bytes instead of the whole slot, and parses no user JSON from the snapshot.
/// <para>
/// Files written before the split hold whole slots in <see cref="LiteDbContext.Results"/> (no <see cref="SplitField"/>).
/// They are read as they are; a whole slot is split the first time it moves (<see cref="SnapshotToMove"/>). Nothing is
/// migrated when the file opens: that would stall every start of a large file, race between processes opening one
/// shared file, and copy the slots of finished runs that never move again.
/// </para>
/// </summary>
internal static class SlotDocuments
{
    /// <summary>Set on a slot's state document when its snapshot lives apart; a slot without it was stored whole.</summary>
    public const string SplitField = "split";

    /// <summary>The snapshot's stored size, kept with the state so the slot as a whole stays under the document limit.</summary>
    public const string SnapshotBytesField = "sb";

    private static readonly HashSet<string> SnapshotProperties =
        [nameof(TestResult.BlockConfig), nameof(TestResult.HandleInputs), nameof(TestResult.Assertion)];

    /// <summary>
    /// <see cref="LiteDbContext.BodyJson"/> without the snapshot's properties of <see cref="TestResult"/>: written, they are
    /// left out; read, they stay unset (and a whole slot's are skipped). Every other property, present or added later,
    /// is part of the state.
    /// </summary>
    private static readonly JsonSerializerOptions StateJson = new(LiteDbContext.BodyJson)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { LeaveOutSnapshot } },
    };

    public static bool IsSplit(BsonDocument state) => state.TryGetValue(SplitField, out var split) && split.IsBoolean && split.AsBoolean;

    /// <summary>
    /// The slot's state only: its snapshot's properties are null, which only this store ever sees (moves change the
    /// state and <see cref="StateDocument"/> writes the state). Use <see cref="ReadWhole"/> for a slot that leaves the store.
    /// </summary>
    public static TestResult ReadState(BsonDocument state) =>
        JsonSerializer.Deserialize<TestResult>(state["body"].AsString, StateJson)
        ?? throw new InvalidDataException($"Document {state["_id"]} has an empty body.");

    /// <summary>The whole slot: its state with its snapshot, or the slot as an older version stored it.</summary>
    public static TestResult ReadWhole(BsonDocument state, ILiteCollection<BsonDocument> snapshots) =>
        Join(state, IsSplit(state) ? snapshots.FindById(state["_id"]) : null);

    /// <summary>
    /// The whole slots of a page of states: their snapshots are read in one query of the snapshots' id index (<c>IN</c>,
    /// one seek per id) rather than one query per slot, and never more than the page's (a status filter may spread a
    /// page over a whole run, so an id range could hold many snapshots the page does not show).
    /// </summary>
    public static List<TestResult> ReadWholePage(IReadOnlyList<BsonDocument> states, ILiteCollection<BsonDocument> snapshots)
    {
        var split = states.Where(IsSplit).Select(s => s["_id"]).ToList();
        var byId = new Dictionary<string, BsonDocument>(StringComparer.Ordinal);
        if (split.Count > 0)
        {
            foreach (var snapshot in snapshots.Query().Where(Filter.In("_id", split)).ToEnumerable())
                byId[snapshot["_id"].AsString] = snapshot;
        }
        return states.Select(state => Join(state, byId.GetValueOrDefault(state["_id"].AsString))).ToList();
    }

    /// <summary>A slot as an older version stored it whole, or a split slot's state with its snapshot, which must exist.</summary>
    private static TestResult Join(BsonDocument state, BsonDocument? snapshot) =>
        !IsSplit(state) ? LiteDbContext.FromDocument<TestResult>(state)
        : snapshot is not null ? WithSnapshot(ReadState(state), LiteDbContext.FromDocument<SlotSnapshot>(snapshot))
        : throw new InvalidDataException($"The snapshot of result {state["_id"]} is missing.");

    /// <summary>The two documents of a new slot; the state is measured with its snapshot, as the slot would be stored whole.</summary>
    public static (BsonDocument State, BsonDocument Snapshot) NewSlot(TestResult slot)
    {
        var snapshot = SnapshotDocument(slot);
        return (StateDocument(slot, BsonSize.Of(snapshot)), snapshot);
    }

    /// <summary>
    /// For a slot about to move: the snapshot document to write first if <paramref name="stored"/> is a whole slot from
    /// an older version (its snapshot would otherwise be lost with the rewrite), and the snapshot's size either way.
    /// </summary>
    public static (BsonDocument? ToWrite, long Bytes) SnapshotToMove(BsonDocument stored)
    {
        if (IsSplit(stored))
            return (null, stored[SnapshotBytesField].AsInt64);
        var snapshot = SnapshotDocument(LiteDbContext.FromDocument<TestResult>(stored));
        return (snapshot, BsonSize.Of(snapshot));
    }

    /// <summary>
    /// The state document of <paramref name="slot"/>: refused with <see cref="DocumentTooLargeException"/> when state and
    /// snapshot together are over the limit, the size the slot would have stored whole (and has in MongoDB).
    /// </summary>
    public static BsonDocument StateDocument(TestResult slot, long snapshotBytes)
    {
        var document = new BsonDocument
        {
            ["_id"] = slot.Id,
            ["body"] = JsonSerializer.Serialize(slot, StateJson),
            ["org"] = slot.OrganizationId,
            ["run"] = slot.RunId,
            ["test"] = slot.TestId,
            ["twc"] = WindowEntry(slot),
            ["status"] = slot.Status.ToString(),
            ["verdict"] = slot.Verdict?.ToString() ?? BsonValue.Null,
            ["completed"] = slot.CompletedAt is { } completed ? LiteDbContext.Time(completed) : BsonValue.Null,
            [SplitField] = true,
            [SnapshotBytesField] = snapshotBytes,
        };
        DocumentTooLargeException.ThrowIfTooLarge(StoredDocumentKind.Result, slot.Id, BsonSize.Of(document) + snapshotBytes);
        return document;
    }

    public static string WindowPrefix(string testId, FlakyWindowKey key) => $"{testId}|{key.Fingerprint}|";

    /// <summary>
    /// A completed slot's place in its test's flaky window: test, window key, then completion time (fixed width, so text
    /// order is time order) and id, as Mongo sorts them. Null for a slot that did not complete: it is in no window.
    /// </summary>
    private static BsonValue WindowEntry(TestResult slot) =>
        slot is { Status: SlotStatus.Completed, Verdict: not null, CompletedAt: { } completed }
            ? $"{WindowPrefix(slot.TestId, FlakyWindowKey.Of(slot.Fingerprints))}{completed.ToUnixTimeMilliseconds():D15}|{slot.Id}"
            : BsonValue.Null;

    private static BsonDocument SnapshotDocument(TestResult slot) =>
        new()
        {
            ["_id"] = slot.Id,
            ["body"] = JsonSerializer.Serialize(new SlotSnapshot(slot.BlockConfig, slot.HandleInputs, slot.Assertion), LiteDbContext.BodyJson),
        };

    private static TestResult WithSnapshot(TestResult state, SlotSnapshot snapshot) =>
        state with { BlockConfig = snapshot.BlockConfig, HandleInputs = snapshot.HandleInputs, Assertion = snapshot.Assertion };

    private static void LeaveOutSnapshot(JsonTypeInfo info)
    {
        if (info.Type != typeof(TestResult))
            return;
        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (SnapshotProperties.Contains(info.Properties[i].Name))
                info.Properties.RemoveAt(i);
        }
    }

    /// <summary>What a slot is given at planning to execute, stored once (<see cref="LiteDbContext.Snapshots"/>).</summary>
    private sealed record SlotSnapshot(JsonObject BlockConfig, JsonObject HandleInputs, Assertion Assertion);
}
