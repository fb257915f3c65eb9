namespace Retab.Runs.Messaging.Health;

/// <summary>
/// Which receive endpoints have not been consuming for longer than a limit while the broker answered. Plain state fed
/// by <see cref="ReceiveEndpointWatchdog"/> at each look, so the rule is tested without a broker or a clock: an endpoint
/// that is down while the broker is down is waiting, not stuck, so the limit counts only from when the broker answers again.
/// </summary>
public sealed class EndpointStalls(TimeSpan limit)
{
    private readonly Dictionary<string, DateTimeOffset> _notConsumingSince = new(StringComparer.Ordinal);

    /// <param name="notConsuming">The endpoints not consuming at <paramref name="now"/>.</param>
    /// <returns>The endpoints stuck for longer than the limit.</returns>
    public IReadOnlyList<string> Observe(DateTimeOffset now, bool brokerAnswers, IEnumerable<string> notConsuming)
    {
        var current = notConsuming.ToHashSet(StringComparer.Ordinal);
        foreach (var recovered in _notConsumingSince.Keys.Where(name => !current.Contains(name)).ToList())
            _notConsumingSince.Remove(recovered);
        if (!brokerAnswers)
        {
            _notConsumingSince.Clear();
            return [];
        }
        foreach (var name in current)
            _notConsumingSince.TryAdd(name, now);
        return _notConsumingSince.Where(e => now - e.Value > limit).Select(e => e.Key).Order(StringComparer.Ordinal).ToList();
    }
}
