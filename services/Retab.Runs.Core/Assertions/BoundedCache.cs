using System.Collections.Concurrent;

namespace Retab.Runs.Core.Assertions;

/// <summary>
/// A thread-safe memo for compiled regexes and schemas: the same assertion is evaluated for many results, but
/// patterns and schemas are user input, so the cache must not grow without limit. When full it is simply
/// emptied; a recompilation now and then is cheaper than bookkeeping for an LRU.
/// </summary>
internal sealed class BoundedCache<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _entries = new();

    public TValue GetOrAdd(TKey key, Func<TKey, TValue> factory)
    {
        if (_entries.TryGetValue(key, out var cached))
            return cached;
        if (_entries.Count >= capacity)
            _entries.Clear();
        return _entries.GetOrAdd(key, factory);
    }

    public int Count => _entries.Count;
}
