using System.Net;
using System.Reflection;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Servers;

namespace Retab.Runs.Storage.Mongo.Tests.Infrastructure;

/// <summary>
/// An in-process stand-in for a MongoDB database, for machines without a server: just enough of
/// <see cref="IMongoDatabase"/> / <see cref="IMongoCollection{TDocument}"/> for the provider's calls. It renders every
/// filter, update, sort and pipeline the provider sends to BSON with the driver itself and interprets that BSON
/// (equality, <c>$in</c>, <c>$ne</c>, <c>$gt</c>… ; <c>$set</c>, <c>$inc</c>, <c>$max</c>, <c>$push</c> with <c>$each</c>/<c>$slice</c>;
/// <c>$match</c> + <c>$group</c>), enforces <c>_id</c> and unique indexes (sparse ones too), and runs each operation atomically on its
/// document(s) — the guarantees the provider relies on. Anything else throws <see cref="NotSupportedException"/>, so an
/// operator the emulator does not know can never pass silently. It is no substitute for the real server: the same
/// contract also runs against MongoDB wherever one is available.
/// </summary>
public static class MongoEmulator
{
    public static IMongoDatabase CreateDatabase(string name = "emulated")
    {
        var database = DispatchProxy.Create<IMongoDatabase, EmulatedDatabase>();
        ((EmulatedDatabase)(object)database).Name = name;
        return database;
    }

    internal static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);

    private static readonly ConnectionId Connection = new(new ServerId(new ClusterId(), new DnsEndPoint("emulator", 27017)));

    // ---- matching ---------------------------------------------------------------------------------------------

    public static bool Matches(BsonDocument document, BsonDocument filter)
    {
        foreach (var element in filter)
        {
            switch (element.Name)
            {
                case "$and":
                    if (!element.Value.AsBsonArray.All(f => Matches(document, f.AsBsonDocument)))
                        return false;
                    break;
                case "$or":
                    if (!element.Value.AsBsonArray.Any(f => Matches(document, f.AsBsonDocument)))
                        return false;
                    break;
                case var name when name.StartsWith('$'):
                    throw new NotSupportedException($"Top-level operator {name} is not emulated.");
                default:
                    var value = Get(document, element.Name);
                    if (element.Value is BsonDocument condition && condition.ElementCount > 0 && condition.GetElement(0).Name.StartsWith('$'))
                    {
                        if (!condition.All(op => MatchesOperator(value, op.Name, op.Value)))
                            return false;
                    }
                    else if (!EqualsOrContains(value, element.Value))
                    {
                        return false;
                    }
                    break;
            }
        }
        return true;
    }

    private static bool MatchesOperator(BsonValue? value, string op, BsonValue argument) => op switch
    {
        "$eq" => EqualsOrContains(value, argument),
        "$ne" => !EqualsOrContains(value, argument),
        "$in" => argument.AsBsonArray.Any(a => EqualsOrContains(value, a)),
        "$nin" => !argument.AsBsonArray.Any(a => EqualsOrContains(value, a)),
        "$gt" => Comparable(value, argument) && Compare(value!, argument) > 0,
        "$gte" => Comparable(value, argument) && Compare(value!, argument) >= 0,
        "$lt" => Comparable(value, argument) && Compare(value!, argument) < 0,
        "$lte" => Comparable(value, argument) && Compare(value!, argument) <= 0,
        _ => throw new NotSupportedException($"Query operator {op} is not emulated."),
    };

    /// <summary>MongoDB equality: null matches missing; an array field matches when it equals or contains the value.</summary>
    private static bool EqualsOrContains(BsonValue? value, BsonValue expected)
    {
        if (expected.IsBsonNull)
            return value is null || value.IsBsonNull;
        if (value is null)
            return false;
        if (value is BsonArray array && expected is not BsonArray)
            return array.Any(item => SameValue(item, expected));
        return SameValue(value, expected);
    }

    private static bool SameValue(BsonValue a, BsonValue b) => TypeClass(a) == TypeClass(b) && Compare(a, b) == 0;

    private static bool Comparable(BsonValue? value, BsonValue argument) => value is not null && TypeClass(value) == TypeClass(argument);

    private static int TypeClass(BsonValue value) => value.BsonType switch
    {
        BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => 1,
        var type => (int)type + 10,
    };

    private static int Compare(BsonValue a, BsonValue b)
    {
        if (a is BsonDocument da && b is BsonDocument db)
        {
            // Field by field, names included, in order (as MongoDB compares embedded documents).
            for (var i = 0; i < Math.Min(da.ElementCount, db.ElementCount); i++)
            {
                var (ea, eb) = (da.GetElement(i), db.GetElement(i));
                var byName = string.CompareOrdinal(ea.Name, eb.Name);
                if (byName != 0)
                    return byName;
                var byValue = TypeClass(ea.Value) != TypeClass(eb.Value) ? TypeClass(ea.Value).CompareTo(TypeClass(eb.Value)) : Compare(ea.Value, eb.Value);
                if (byValue != 0)
                    return byValue;
            }
            return da.ElementCount.CompareTo(db.ElementCount);
        }
        if (a is BsonString sa && b is BsonString sb)
            return string.CompareOrdinal(sa.Value, sb.Value);
        return a.CompareTo(b);
    }

    private static BsonValue? Get(BsonDocument document, string path)
    {
        BsonValue current = document;
        foreach (var part in path.Split('.'))
        {
            if (current is not BsonDocument inner || !inner.TryGetValue(part, out var next))
                return null;
            current = next;
        }
        return current;
    }

    private static void Set(BsonDocument document, string path, BsonValue value)
    {
        var parts = path.Split('.');
        var current = document;
        foreach (var part in parts[..^1])
        {
            if (!current.TryGetValue(part, out var next) || next is not BsonDocument inner)
            {
                inner = new BsonDocument();
                current[part] = inner;
            }
            current = inner;
        }
        current[parts[^1]] = value;
    }

    // ---- updates ----------------------------------------------------------------------------------------------

    public static void ApplyUpdate(BsonDocument document, BsonValue update)
    {
        if (update is not BsonDocument operators)
            throw new NotSupportedException("Pipeline updates are not emulated.");
        foreach (var op in operators)
        {
            foreach (var field in op.Value.AsBsonDocument)
            {
                if (field.Name == "_id")
                    throw new InvalidOperationException("Performing an update on the path '_id' would modify the immutable field '_id'.");
                var current = Get(document, field.Name);
                switch (op.Name)
                {
                    case "$set":
                        Set(document, field.Name, field.Value.DeepClone());
                        break;
                    case "$inc":
                        Set(document, field.Name, Add(current ?? new BsonInt32(0), field.Value));
                        break;
                    case "$max":
                        if (current is null || current.IsBsonNull || Compare(field.Value, current) > 0)
                            Set(document, field.Name, field.Value.DeepClone());
                        break;
                    case "$min":
                        if (current is null || current.IsBsonNull || Compare(field.Value, current) < 0)
                            Set(document, field.Name, field.Value.DeepClone());
                        break;
                    case "$push":
                        var array = current as BsonArray ?? [];
                        if (field.Value is BsonDocument modifiers && modifiers.Contains("$each"))
                        {
                            array.AddRange(modifiers["$each"].AsBsonArray.Select(v => v.DeepClone()));
                            if (modifiers.TryGetValue("$slice", out var slice))
                            {
                                var keep = slice.ToInt32();
                                array = keep < 0 ? new BsonArray(array.Skip(Math.Max(0, array.Count + keep))) : new BsonArray(array.Take(keep));
                            }
                        }
                        else
                        {
                            array.Add(field.Value.DeepClone());
                        }
                        Set(document, field.Name, array);
                        break;
                    default:
                        throw new NotSupportedException($"Update operator {op.Name} is not emulated.");
                }
            }
        }
    }

    private static BsonValue Add(BsonValue current, BsonValue delta) => (current.BsonType, delta.BsonType) switch
    {
        (BsonType.Int32, BsonType.Int32) => new BsonInt32(current.AsInt32 + delta.AsInt32),
        (BsonType.Int32 or BsonType.Int64, BsonType.Int32 or BsonType.Int64) => new BsonInt64(current.ToInt64() + delta.ToInt64()),
        _ => throw new NotSupportedException($"$inc of {current.BsonType} by {delta.BsonType} is not emulated."),
    };

    // ---- aggregation ------------------------------------------------------------------------------------------

    private static List<BsonDocument> Aggregate(IEnumerable<BsonDocument> documents, IEnumerable<BsonDocument> stages)
    {
        var current = documents.ToList();
        foreach (var stage in stages)
        {
            var (name, argument) = (stage.GetElement(0).Name, stage.GetElement(0).Value);
            current = name switch
            {
                "$match" => current.Where(d => Matches(d, argument.AsBsonDocument)).ToList(),
                "$group" => Group(current, argument.AsBsonDocument),
                _ => throw new NotSupportedException($"Aggregation stage {name} is not emulated."),
            };
        }
        return current;
    }

    private static List<BsonDocument> Group(List<BsonDocument> documents, BsonDocument spec)
    {
        var groups = new List<(BsonValue Key, List<BsonDocument> Members)>();
        foreach (var document in documents)
        {
            var key = Evaluate(document, spec["_id"]);
            var group = groups.FindIndex(g => SameValue(g.Key, key));
            if (group < 0)
                groups.Add((key, [document]));
            else
                groups[group].Members.Add(document);
        }
        return groups.Select(g =>
        {
            var result = new BsonDocument("_id", g.Key);
            foreach (var accumulator in spec.Where(e => e.Name != "_id"))
            {
                var (op, argument) = (accumulator.Value.AsBsonDocument.GetElement(0).Name, accumulator.Value.AsBsonDocument.GetElement(0).Value);
                if (op != "$sum")
                    throw new NotSupportedException($"Accumulator {op} is not emulated.");
                result[accumulator.Name] = g.Members.Aggregate((BsonValue)new BsonInt32(0), (sum, d) => Add(sum, Evaluate(d, argument)));
            }
            return result;
        }).ToList();
    }

    private static BsonValue Evaluate(BsonDocument document, BsonValue expression) => expression switch
    {
        BsonString { Value: var path } when path.StartsWith('$') => Get(document, path[1..]) ?? BsonNull.Value,
        BsonDocument fields when fields.ElementCount == 0 || !fields.GetElement(0).Name.StartsWith('$') =>
            new BsonDocument(fields.Select(f => new BsonElement(f.Name, Evaluate(document, f.Value)))),
        BsonDocument => throw new NotSupportedException($"Expression {expression} is not emulated."),
        _ => expression,
    };

    // ---- errors -------------------------------------------------------------------------------------------------

    internal static MongoWriteException DuplicateKey(string message) =>
        new(Connection, NewInternal<WriteError>(ServerErrorCategory.DuplicateKey, 11000, message, new BsonDocument()), null, null);

    internal static MongoBulkWriteException<BsonDocument> DuplicateKeys(IReadOnlyList<(int Index, string Message)> errors, IReadOnlyList<WriteModel<BsonDocument>> requests, int inserted) =>
        new(Connection,
            new BulkWriteResult<BsonDocument>.Acknowledged(requests.Count, 0, 0, inserted, 0, requests, []),
            errors.Select(e => NewInternal<BulkWriteError>(e.Index, ServerErrorCategory.DuplicateKey, 11000, e.Message, new BsonDocument())).ToList(),
            null,
            []);

    private static T NewInternal<T>(params object[] arguments)
    {
        var constructor = typeof(T).GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            .Single(c => c.GetParameters().Length == arguments.Length);
        return (T)constructor.Invoke(arguments);
    }

    // ---- the proxies ------------------------------------------------------------------------------------------

    public class EmulatedDatabase : DispatchProxy
    {
        private readonly Dictionary<string, IMongoCollection<BsonDocument>> _collections = [];

        public string Name { get; set; } = "emulated";

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            switch (method!.Name)
            {
                case "GetCollection" when method.GetGenericArguments()[0] == typeof(BsonDocument):
                    lock (_collections)
                    {
                        var name = (string)args![0]!;
                        if (!_collections.TryGetValue(name, out var collection))
                        {
                            collection = DispatchProxy.Create<IMongoCollection<BsonDocument>, EmulatedCollection>();
                            var emulated = (EmulatedCollection)(object)collection;
                            emulated.Namespace = new CollectionNamespace(Name, name);
                            emulated.Database = (IMongoDatabase)(object)this;
                            _collections[name] = collection;
                        }
                        return collection;
                    }
                case "get_DatabaseNamespace":
                    return new DatabaseNamespace(Name);
                default:
                    throw new NotSupportedException($"IMongoDatabase.{method.Name} is not emulated.");
            }
        }
    }

    public class EmulatedCollection : DispatchProxy
    {
        private readonly Lock _gate = new();
        private readonly List<BsonDocument> _documents = [];
        private readonly List<(string Name, BsonDocument Keys, bool Sparse)> _uniqueIndexes = [];

        public CollectionNamespace Namespace { get; set; } = null!;
        public IMongoDatabase Database { get; set; } = null!;

        /// <summary>Every rendered filter this collection was asked to evaluate (for tests of the provider's queries).</summary>
        public List<BsonDocument> Filters { get; } = [];

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            var parameters = method!.GetParameters();
            if (parameters.Length > 0 && parameters[0].ParameterType == typeof(IClientSessionHandle))
                throw new NotSupportedException("Sessions are not emulated (the provider uses none).");
            return method.Name switch
            {
                "get_CollectionNamespace" => Namespace,
                "get_Database" => Database,
                "get_DocumentSerializer" => BsonDocumentSerializer.Instance,
                "get_Settings" => new MongoCollectionSettings(),
                "get_Indexes" => CreateIndexManager(),
                "FindAsync" => Task.FromResult<IAsyncCursor<BsonDocument>>(new ListCursor(Find((FilterDefinition<BsonDocument>)args![0]!, (FindOptions<BsonDocument, BsonDocument>?)args[1]))),
                "InsertOneAsync" => Run(() => InsertOne((BsonDocument)args![0]!)),
                "InsertManyAsync" => Run(() => InsertMany(((IEnumerable<BsonDocument>)args![0]!).ToList(), (InsertManyOptions?)args[1])),
                "UpdateOneAsync" => Task.FromResult<UpdateResult>(Update((FilterDefinition<BsonDocument>)args![0]!, (UpdateDefinition<BsonDocument>)args[1]!, many: false)),
                "UpdateManyAsync" => Task.FromResult<UpdateResult>(Update((FilterDefinition<BsonDocument>)args![0]!, (UpdateDefinition<BsonDocument>)args[1]!, many: true)),
                "ReplaceOneAsync" => Task.FromResult<ReplaceOneResult>(Replace((FilterDefinition<BsonDocument>)args![0]!, (BsonDocument)args[1]!, (args[2] as ReplaceOptions)?.IsUpsert ?? false)),
                "DeleteOneAsync" => Task.FromResult<DeleteResult>(Delete((FilterDefinition<BsonDocument>)args![0]!, many: false)),
                "DeleteManyAsync" => Task.FromResult<DeleteResult>(Delete((FilterDefinition<BsonDocument>)args![0]!, many: true)),
                "FindOneAndUpdateAsync" when method.GetGenericArguments()[0] == typeof(BsonDocument) =>
                    Task.FromResult(FindOneAndUpdate((FilterDefinition<BsonDocument>)args![0]!, (UpdateDefinition<BsonDocument>)args[1]!, (FindOneAndUpdateOptions<BsonDocument, BsonDocument>?)args[2])),
                "BulkWriteAsync" => Task.FromResult<BulkWriteResult<BsonDocument>>(BulkWrite(((IEnumerable<WriteModel<BsonDocument>>)args![0]!).ToList())),
                "AggregateAsync" when method.GetGenericArguments()[0] == typeof(BsonDocument) =>
                    Task.FromResult<IAsyncCursor<BsonDocument>>(new ListCursor(AggregateAll((PipelineDefinition<BsonDocument, BsonDocument>)args![0]!))),
                "CountDocumentsAsync" => Task.FromResult(Count((FilterDefinition<BsonDocument>)args![0]!, (CountOptions?)args[1])),
                _ => throw new NotSupportedException($"IMongoCollection.{method.Name} is not emulated."),
            };
        }

        private static Task Run(Action action)
        {
            action();
            return Task.CompletedTask;
        }

        private BsonDocument RenderFilter(FilterDefinition<BsonDocument> filter)
        {
            var rendered = filter.Render(Args);
            lock (Filters)
                Filters.Add(rendered);
            return rendered;
        }

        private List<BsonDocument> Find(FilterDefinition<BsonDocument> filter, FindOptions<BsonDocument, BsonDocument>? options)
        {
            var rendered = RenderFilter(filter);
            lock (_gate)
            {
                IEnumerable<BsonDocument> found = _documents.Where(d => Matches(d, rendered));
                if (options?.Sort is { } sort)
                    found = Sorted(found, sort.Render(Args));
                if (options?.Skip is { } skip)
                    found = found.Skip(skip);
                if (options?.Limit is { } limit && limit > 0)
                    found = found.Take(limit);
                return found.Select(d => d.DeepClone().AsBsonDocument).ToList();
            }
        }

        private static IEnumerable<BsonDocument> Sorted(IEnumerable<BsonDocument> documents, BsonDocument sort)
        {
            var list = documents.ToList();
            list.Sort((a, b) =>
            {
                foreach (var key in sort)
                {
                    var (va, vb) = (Get(a, key.Name) ?? BsonNull.Value, Get(b, key.Name) ?? BsonNull.Value);
                    var order = TypeClass(va) != TypeClass(vb) ? TypeClass(va).CompareTo(TypeClass(vb)) : Compare(va, vb);
                    if (order != 0)
                        return key.Value.ToInt32() < 0 ? -order : order;
                }
                return 0;
            });
            return list;
        }

        private void InsertOne(BsonDocument document)
        {
            lock (_gate)
            {
                if (Conflict(document, null) is { } conflict)
                    throw DuplicateKey(conflict);
                _documents.Add(document.DeepClone().AsBsonDocument);
            }
        }

        private void InsertMany(List<BsonDocument> documents, InsertManyOptions? options)
        {
            var errors = new List<(int, string)>();
            var inserted = 0;
            lock (_gate)
            {
                for (var i = 0; i < documents.Count; i++)
                {
                    if (Conflict(documents[i], null) is { } conflict)
                    {
                        errors.Add((i, conflict));
                        if (options?.IsOrdered ?? true)
                            break;
                        continue;
                    }
                    _documents.Add(documents[i].DeepClone().AsBsonDocument);
                    inserted++;
                }
            }
            if (errors.Count > 0)
                throw DuplicateKeys(errors, documents.Select(d => (WriteModel<BsonDocument>)new InsertOneModel<BsonDocument>(d)).ToList(), inserted);
        }

        private UpdateResult Update(FilterDefinition<BsonDocument> filter, UpdateDefinition<BsonDocument> update, bool many)
        {
            var (matched, modified) = UpdateRendered(RenderFilter(filter), update.Render(Args), many);
            return new UpdateResult.Acknowledged(matched, modified, null);
        }

        private (long Matched, long Modified) UpdateRendered(BsonDocument filter, BsonValue update, bool many)
        {
            lock (_gate)
            {
                long matched = 0, modified = 0;
                for (var i = 0; i < _documents.Count; i++)
                {
                    if (!Matches(_documents[i], filter))
                        continue;
                    matched++;
                    var changed = _documents[i].DeepClone().AsBsonDocument;
                    ApplyUpdate(changed, update);
                    if (Conflict(changed, _documents[i]) is { } conflict)
                        throw DuplicateKey(conflict);
                    if (!changed.Equals(_documents[i]))
                        modified++;
                    _documents[i] = changed;
                    if (!many)
                        break;
                }
                return (matched, modified);
            }
        }

        private ReplaceOneResult Replace(FilterDefinition<BsonDocument> filter, BsonDocument replacement, bool upsert)
        {
            var rendered = RenderFilter(filter);
            lock (_gate)
            {
                var index = _documents.FindIndex(d => Matches(d, rendered));
                if (index < 0)
                {
                    if (!upsert)
                        return new ReplaceOneResult.Acknowledged(0, 0, null);
                    InsertOne(replacement);
                    return new ReplaceOneResult.Acknowledged(0, 0, replacement["_id"]);
                }
                if (replacement.TryGetValue("_id", out var id) && !SameValue(id, _documents[index]["_id"]))
                    throw new InvalidOperationException("The _id field cannot be changed by a replacement.");
                var next = replacement.DeepClone().AsBsonDocument;
                next.Set("_id", _documents[index]["_id"]);
                if (Conflict(next, _documents[index]) is { } conflict)
                    throw DuplicateKey(conflict);
                var modified = next.Equals(_documents[index]) ? 0 : 1;
                _documents[index] = next;
                return new ReplaceOneResult.Acknowledged(1, modified, null);
            }
        }

        private DeleteResult Delete(FilterDefinition<BsonDocument> filter, bool many)
        {
            var rendered = RenderFilter(filter);
            lock (_gate)
            {
                if (many)
                    return new DeleteResult.Acknowledged(_documents.RemoveAll(d => Matches(d, rendered)));
                var index = _documents.FindIndex(d => Matches(d, rendered));
                if (index >= 0)
                    _documents.RemoveAt(index);
                return new DeleteResult.Acknowledged(index >= 0 ? 1 : 0);
            }
        }

        private BsonDocument? FindOneAndUpdate(FilterDefinition<BsonDocument> filter, UpdateDefinition<BsonDocument> update, FindOneAndUpdateOptions<BsonDocument, BsonDocument>? options)
        {
            if (options?.IsUpsert == true || options?.Projection is not null || options?.Sort is not null)
                throw new NotSupportedException("FindOneAndUpdate with upsert, projection or sort is not emulated.");
            var rendered = RenderFilter(filter);
            var operators = update.Render(Args);
            lock (_gate)
            {
                var index = _documents.FindIndex(d => Matches(d, rendered));
                if (index < 0)
                    return null;
                var before = _documents[index];
                var after = before.DeepClone().AsBsonDocument;
                ApplyUpdate(after, operators);
                if (Conflict(after, before) is { } conflict)
                    throw DuplicateKey(conflict);
                _documents[index] = after;
                return (options?.ReturnDocument == ReturnDocument.After ? after : before).DeepClone().AsBsonDocument;
            }
        }

        private BulkWriteResult<BsonDocument> BulkWrite(List<WriteModel<BsonDocument>> requests)
        {
            long matched = 0, modified = 0;
            foreach (var request in requests)
            {
                if (request is not UpdateOneModel<BsonDocument> { IsUpsert: false } updateOne)
                    throw new NotSupportedException($"Bulk {request.ModelType} is not emulated.");
                var (m, n) = UpdateRendered(RenderFilter(updateOne.Filter), updateOne.Update.Render(Args), many: false);
                matched += m;
                modified += n;
            }
            return new BulkWriteResult<BsonDocument>.Acknowledged(requests.Count, matched, 0, 0, modified, requests, []);
        }

        private List<BsonDocument> AggregateAll(PipelineDefinition<BsonDocument, BsonDocument> pipeline)
        {
            var stages = pipeline.Render(Args).Documents;
            lock (_gate)
                return Aggregate(_documents, stages).Select(d => d.DeepClone().AsBsonDocument).ToList();
        }

        private long Count(FilterDefinition<BsonDocument> filter, CountOptions? options)
        {
            var rendered = RenderFilter(filter);
            lock (_gate)
            {
                var count = _documents.LongCount(d => Matches(d, rendered));
                return options?.Limit is { } limit ? Math.Min(count, limit) : count;
            }
        }

        /// <summary>The duplicate-key message when <paramref name="candidate"/> (replacing <paramref name="replacing"/>) breaks <c>_id</c> or a unique index.</summary>
        private string? Conflict(BsonDocument candidate, BsonDocument? replacing)
        {
            foreach (var other in _documents)
            {
                if (ReferenceEquals(other, replacing))
                    continue;
                if (SameValue(other["_id"], candidate["_id"]))
                    return $"E11000 duplicate key error collection: {Namespace} index: _id_ dup key: {{ _id: {candidate["_id"]} }}";
                foreach (var (name, keys, sparse) in _uniqueIndexes)
                {
                    // A sparse index holds only documents that have its fields.
                    if (sparse && keys.Any(k => Get(other, k.Name) is null || Get(candidate, k.Name) is null))
                        continue;
                    if (keys.All(k => SameValue(Get(other, k.Name) ?? BsonNull.Value, Get(candidate, k.Name) ?? BsonNull.Value)))
                        return $"E11000 duplicate key error collection: {Namespace} index: {name}";
                }
            }
            return null;
        }

        private IMongoIndexManager<BsonDocument> CreateIndexManager()
        {
            var manager = DispatchProxy.Create<IMongoIndexManager<BsonDocument>, EmulatedIndexManager>();
            ((EmulatedIndexManager)(object)manager).Owner = this;
            return manager;
        }

        internal IEnumerable<string> CreateIndexes(IEnumerable<CreateIndexModel<BsonDocument>> models)
        {
            var names = new List<string>();
            lock (_gate)
            {
                foreach (var model in models)
                {
                    var keys = model.Keys.Render(Args);
                    var name = model.Options?.Name ?? string.Join("_", keys.Select(k => $"{k.Name}_{k.Value}"));
                    if (model.Options?.Unique == true && !_uniqueIndexes.Any(i => i.Name == name))
                        _uniqueIndexes.Add((name, keys, model.Options.Sparse == true));
                    names.Add(name);
                }
            }
            return names;
        }
    }

    public class EmulatedIndexManager : DispatchProxy
    {
        public EmulatedCollection Owner { get; set; } = null!;

        protected override object? Invoke(MethodInfo? method, object?[]? args) => method!.Name switch
        {
            "CreateManyAsync" when method.GetParameters()[0].ParameterType != typeof(IClientSessionHandle) =>
                Task.FromResult(Owner.CreateIndexes((IEnumerable<CreateIndexModel<BsonDocument>>)args![0]!)),
            _ => throw new NotSupportedException($"IMongoIndexManager.{method.Name} is not emulated."),
        };
    }

    private sealed class ListCursor(List<BsonDocument> documents) : IAsyncCursor<BsonDocument>
    {
        private bool _served;

        public IEnumerable<BsonDocument> Current { get; private set; } = [];

        public bool MoveNext(CancellationToken cancellationToken = default)
        {
            if (_served)
                return false;
            _served = true;
            Current = documents;
            return true;
        }

        public Task<bool> MoveNextAsync(CancellationToken cancellationToken = default) => Task.FromResult(MoveNext(cancellationToken));

        public void Dispose()
        {
        }
    }
}
