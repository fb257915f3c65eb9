using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Retab.Runs.Messaging.Health;

/// <summary>
/// Watches this process's receive endpoints on RabbitMQ. After a broker restart an endpoint can stay stopped for good
/// while its connection looks fine (an in-flight message held it up as it stopped; MassTransit issue #5692): the process
/// then sits idle with its queue full. When an endpoint has not been consuming for <see cref="BusOptions.EndpointStallLimit"/>
/// while the broker answers, the process stops with exit code <see cref="ExitCode"/> so its supervisor (compose's
/// <c>restart: unless-stopped</c>, systemd, Kubernetes) starts a fresh one; meanwhile MassTransit's own health check
/// already reports the endpoint on <c>/health/ready</c>. Messages it held go back to the queue when its connection closes.
/// </summary>
internal sealed class ReceiveEndpointWatchdog(
    IBusControl bus,
    BrokerProbeConnection broker,
    IHostApplicationLifetime lifetime,
    IOptions<BusOptions> options,
    TimeProvider time,
    ILogger<ReceiveEndpointWatchdog> logger) : BackgroundService
{
    /// <summary>EX_TEMPFAIL: a temporary failure, worth a restart.</summary>
    public const int ExitCode = 75;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>A stop that hangs on the stuck endpoint must not keep the process alive: it exits anyway after this.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(45);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stalls = new EndpointStalls(options.Value.EndpointStallLimit);
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var notConsuming = bus.CheckHealth().Endpoints
                .Where(e => e.Value.Status != BusHealthStatus.Healthy)
                .Select(e => e.Key)
                .ToList();
            var stuck = stalls.Observe(time.GetUtcNow(), notConsuming.Count > 0 && await BrokerAnswersAsync(), notConsuming);
            if (stuck.Count == 0)
                continue;

            logger.LogCritical(
                "Receive endpoint(s) {Endpoints} stopped consuming for over {Limit} while the broker answers; exiting with code {ExitCode} for a restart",
                string.Join(", ", stuck), options.Value.EndpointStallLimit, ExitCode);
            Environment.ExitCode = ExitCode;
            _ = Task.Delay(StopGrace, CancellationToken.None).ContinueWith(_ => Environment.Exit(ExitCode), TaskScheduler.Default);
            lifetime.StopApplication();
            return;
        }
    }

    private async Task<bool> BrokerAnswersAsync()
    {
        try
        {
            await broker.GetAsync();
            return true;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            return false;
        }
    }
}
