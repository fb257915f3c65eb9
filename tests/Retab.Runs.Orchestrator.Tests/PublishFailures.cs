using System.Collections.Concurrent;
using MassTransit;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>
/// Makes chosen publishes fail the way a publish on a channel the broker dropped fails: after the store move it was to
/// announce, before anyone heard of it. The bus's publish pipe asks <see cref="ThrowIfDue{T}"/> before each publish.
/// </summary>
internal sealed class PublishFailures
{
    private readonly ConcurrentDictionary<Type, int> _due = new();

    /// <summary>The next publish of a <typeparamref name="T"/> fails.</summary>
    public void FailNext<T>() => _due.AddOrUpdate(typeof(T), 1, (_, count) => count + 1);

    public void ThrowIfDue<T>(PublishContext<T> context) where T : class
    {
        while (_due.TryGetValue(typeof(T), out var count) && count > 0)
        {
            if (_due.TryUpdate(typeof(T), count - 1, count))
                throw new InvalidOperationException($"The broker dropped the channel while {typeof(T).Name} was published (a test's doing).");
        }
    }
}
