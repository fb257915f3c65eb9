using System.Reflection;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Retab.Runs.Storage.Mongo.Tests.Infrastructure;

/// <summary>
/// Wraps a database so that a test can run something at the one moment a race needs: right before the next call of a
/// given method on the results collection (the bulk write of a batch of slot events, the update that seals or ends a
/// run's slots…), once. Every other call passes through unchanged.
/// </summary>
public sealed class ResultsCollectionHook
{
    private readonly Lock _gate = new();
    private (string Method, Func<Task> Action)? _next;

    private ResultsCollectionHook()
    {
    }

    /// <summary>The wrapped database, and the hook on its results collection.</summary>
    public static (IMongoDatabase Database, ResultsCollectionHook Hook) Wrap(IMongoDatabase database)
    {
        var hook = new ResultsCollectionHook();
        var proxy = DispatchProxy.Create<IMongoDatabase, DatabaseProxy>();
        ((DatabaseProxy)(object)proxy).Inner = database;
        ((DatabaseProxy)(object)proxy).Hook = hook;
        return (proxy, hook);
    }

    /// <summary>Runs <paramref name="action"/> once, right before the next call of <paramref name="method"/> (e.g. <c>BulkWriteAsync</c>).</summary>
    public void BeforeNext(string method, Func<Task> action)
    {
        lock (_gate)
            _next = (method, action);
    }

    private Func<Task>? Take(string method)
    {
        lock (_gate)
        {
            if (_next is not { } next || next.Method != method)
                return null;
            _next = null;
            return next.Action;
        }
    }

    public class DatabaseProxy : DispatchProxy
    {
        public IMongoDatabase Inner { get; set; } = null!;
        public ResultsCollectionHook Hook { get; set; } = null!;

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            var result = method!.Invoke(Inner, args);
            if (result is not IMongoCollection<BsonDocument> collection || collection.CollectionNamespace.CollectionName != MongoSchema.Results)
                return result;
            var proxy = DispatchProxy.Create<IMongoCollection<BsonDocument>, CollectionProxy>();
            ((CollectionProxy)(object)proxy).Inner = collection;
            ((CollectionProxy)(object)proxy).Hook = Hook;
            return proxy;
        }
    }

    public class CollectionProxy : DispatchProxy
    {
        private static readonly MethodInfo ThenCall = typeof(CollectionProxy).GetMethod(nameof(ThenAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

        public IMongoCollection<BsonDocument> Inner { get; set; } = null!;
        public ResultsCollectionHook Hook { get; set; } = null!;

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (Hook.Take(method!.Name) is not { } action)
                return method.Invoke(Inner, args);
            // Every hooked method is asynchronous: Task<TResult>.
            var resultType = method.ReturnType.GetGenericArguments()[0];
            return ThenCall.MakeGenericMethod(resultType).Invoke(null, [action, (Func<object?>)(() => method.Invoke(Inner, args))]);
        }

        private static async Task<T> ThenAsync<T>(Func<Task> action, Func<object?> call)
        {
            await action();
            return await (Task<T>)call()!;
        }
    }
}
