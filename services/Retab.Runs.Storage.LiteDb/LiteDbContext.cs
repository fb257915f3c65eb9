using System.Globalization;
using System.Text.Json;
using JsonSerializer = System.Text.Json.JsonSerializer;
using System.Text.Json.Serialization;
using LiteDB;
using Retab.Runs.Core.Limits;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.LiteDb;

/// <summary>
/// The open database file and the one write path into it. Domain objects are stored as System.Text.Json text
/// in a <c>body</c> field next to the few fields queries need: user JSON (inputs, outputs, expected values)
/// then round-trips byte for byte, whatever keys it holds (<c>$gt</c>, <c>a.b</c>, empty strings). Every document is
/// measured before it is written (<see cref="ToDocument{T}"/>), so a write over the limit fails with
/// <see cref="DocumentTooLargeException"/> before anything of its transaction lands, never with a driver error.
/// </summary>
public sealed class LiteDbContext : IDisposable
{
    /// <summary>
    /// Accepts <see cref="ServiceLimits.InternalJsonDepth"/> levels both ways: what the gateway or the bus let through
    /// (user JSON plus the few levels of the document around it) must be writable and, above all, readable again — a body
    /// one level too deep would break every page that lists it.
    /// </summary>
    public static readonly JsonSerializerOptions BodyJson = new()
    {
        MaxDepth = ServiceLimits.InternalJsonDepth,
        IgnoreReadOnlyProperties = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly Lock _writeLock = new();
    private readonly DataFolderLock _dataFolderLock;

    public LiteDbContext(string path, bool shared = false)
    {
        _dataFolderLock = DataFolderLock.Acquire(path, shared);
        _dataFolderLock.ReleaseIfThrows(() => DataFileModes.Protect(path));
        Database = _dataFolderLock.ReleaseIfThrows(() => new LiteDatabase(new ConnectionString
        {
            Filename = path,
            Connection = shared ? ConnectionType.Shared : ConnectionType.Direct,
            // LiteDB's default collation ignores case; ids, organization ids and idempotency keys must compare exactly.
            Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
        }));
        Workflows = Collection("workflows", "org");
        Tests = Collection("tests", "org", "wf");
        Runs = Collection("test_runs", "org", "wf", "status", "progress");
        // A run's previous run is looked up at every completion; an index on an expression of fields every run already
        // has needs no migration of older files (LiteDB computes it for the documents there when it creates it).
        Runs.EnsureIndex("lineage", RunLineage);
        Results = Collection("test_results", "test");
        // A test's completed results under one flaky window key, in completion order (LiteDbRunStore.ListRecentVerdictsAsync).
        // Null until the slot completes, so a slot re-keys this index once.
        Results.EnsureIndex("twc", "$.twc");
        // Every slot move changes its status, and LiteDB re-keys a changed index on each update; queries on status
        // always name a run or a test first, whose index is selective. Files made before this drop the old index.
        Results.DropIndex("status");
        // A result id derives from its run and test, and a run's result ids share a prefix: the id index finds a run's
        // slots (one range) and a test's slot in a run (one id), so indexes on run and on (run, test) only made every
        // planned slot two index inserts dearer. Files made before this drop them.
        Results.DropIndex("run");
        Results.DropIndex("rt");
        // A slot's snapshot, apart from its state in Results (SlotDocuments): found by result id only.
        Snapshots = Collection("test_result_snapshots");
        ApiKeys = Collection("api_keys", "org");
        Idempotency = Collection("idempotency", "at");
        Files = Collection("files", "org", "status");
    }

    /// <summary>
    /// Organization, workflow, scope key, status and id, separated by spaces: the runs of one lineage in one status are
    /// one range, in creation order. A space can appear inside a scope key only through a user's block or test id, so
    /// readers check each match field by field.
    /// </summary>
    public const string RunLineage = "$.org + ' ' + $.wf + ' ' + $.scope + ' ' + $.status + ' ' + $._id";

    public LiteDatabase Database { get; }
    public ILiteCollection<BsonDocument> Workflows { get; }
    public ILiteCollection<BsonDocument> Tests { get; }
    public ILiteCollection<BsonDocument> Runs { get; }

    /// <summary>Result slots' states: what moves, and every field a query or index reads (<see cref="SlotDocuments"/>).</summary>
    public ILiteCollection<BsonDocument> Results { get; }

    /// <summary>Result slots' snapshots (block config, handle inputs, assertion), written once at planning, keyed by result id.</summary>
    public ILiteCollection<BsonDocument> Snapshots { get; }
    public ILiteCollection<BsonDocument> ApiKeys { get; }
    public ILiteCollection<BsonDocument> Idempotency { get; }

    /// <summary>File metadata; the bytes and page texts live in LiteDB's file storage (<see cref="LiteDatabase.FileStorage"/>).</summary>
    public ILiteCollection<BsonDocument> Files { get; }

    /// <summary>
    /// Runs <paramref name="write"/> as one transaction, one writer at a time. LiteDB transactions belong to the
    /// calling thread, so the delegate must stay synchronous.
    /// </summary>
    public T Write<T>(Func<T> write)
    {
        lock (_writeLock)
        {
            Database.BeginTrans();
            try
            {
                var result = write();
                Database.Commit();
                return result;
            }
            catch
            {
                Database.Rollback();
                throw;
            }
        }
    }

    /// <summary>
    /// The document to write for <paramref name="body"/>, as <paramref name="kind"/> (one of <see cref="StoredDocumentKind"/>).
    /// Throws <see cref="DocumentTooLargeException"/> when it would be larger than
    /// <see cref="ServiceLimits.MaxStoredDocumentBytes"/>: measured as the BSON LiteDB writes (the body's UTF-8 bytes and
    /// every index field), which LiteDB itself refuses only above about 16 MB, after part of a transaction may have run.
    /// </summary>
    public static BsonDocument ToDocument<T>(string kind, string id, T body, params (string Field, BsonValue Value)[] fields)
    {
        var document = new BsonDocument { ["_id"] = id, ["body"] = JsonSerializer.Serialize(body, BodyJson) };
        foreach (var (field, value) in fields)
            document[field] = value;
        DocumentTooLargeException.ThrowIfTooLarge(kind, id, BsonSize.Of(document));
        return document;
    }

    public static T FromDocument<T>(BsonDocument document) =>
        JsonSerializer.Deserialize<T>(document["body"].AsString, BodyJson)
        ?? throw new InvalidDataException($"Document {document["_id"]} has an empty body.");

    /// <summary>Dates as UTC milliseconds, so range filters compare numbers, not time zones.</summary>
    public static BsonValue Time(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public void Dispose()
    {
        try
        {
            Database.Dispose();
        }
        finally
        {
            _dataFolderLock.Dispose();
        }
    }

    private ILiteCollection<BsonDocument> Collection(string name, params string[] indexedFields)
    {
        var collection = Database.GetCollection(name);
        foreach (var field in indexedFields)
            collection.EnsureIndex(field, $"$.{field}");
        return collection;
    }
}
