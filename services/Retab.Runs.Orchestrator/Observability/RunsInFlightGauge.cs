using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Retab.Runs.Core.Observability;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Orchestrator.Observability;

/// <summary>
/// The runs-in-flight gauge: a count of the store's active runs (of every orchestrator, so the number is right however
/// many run), read at most once per <see cref="RefreshInterval"/> and only while something collects metrics. A scrape
/// never waits for the store: it gets the last count and, if that is older than the interval, starts one refresh.
/// </summary>
public sealed partial class RunsInFlightGauge(IRunStore runs, RunsMetrics metrics, TimeProvider time, ILogger<RunsInFlightGauge> logger) : IHostedService
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private long _count;
    private long _readAtTicks; // 0: never read, so the first collection reads
    private int _refreshing;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.ObserveRunsInFlight(Current);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private long Current()
    {
        var now = time.GetUtcNow().UtcTicks;
        if (now - Volatile.Read(ref _readAtTicks) >= RefreshInterval.Ticks && Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
            _ = RefreshAsync();
        return Volatile.Read(ref _count);
    }

    private async Task RefreshAsync()
    {
        try
        {
            Volatile.Write(ref _count, await runs.CountActiveRunsAsync());
            Volatile.Write(ref _readAtTicks, time.GetUtcNow().UtcTicks);
        }
        catch (Exception error)
        {
            // A store that does not answer keeps the last count; the next collection tries again.
            CountFailed(logger, error);
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    [LoggerMessage(EventId = 1110, Level = LogLevel.Debug, Message = "Counting the active runs for the runs-in-flight gauge failed")]
    private static partial void CountFailed(ILogger logger, Exception error);
}
