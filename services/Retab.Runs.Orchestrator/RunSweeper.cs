using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Stores;
using Retab.Runs.Messaging;

namespace Retab.Runs.Orchestrator;

/// <summary>
/// Every <see cref="OrchestratorOptions.SweepInterval"/>, finds the runs that stopped moving for a whole execution deadline
/// and the ended runs whose end was never announced (DESIGN §5 rule 6), and hands each to <see cref="RunSaga.SweepAsync"/>.
/// </summary>
public sealed class RunSweeper(
    IRunStore runs,
    RunSaga saga,
    IExecutionBacklog backlog,
    BrokerOutages outages,
    IBusControl bus,
    IOptions<OrchestratorOptions> options,
    TimeProvider time,
    ILogger<RunSweeper> logger) : BackgroundService
{
    private const int RunsPerSweep = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(error, "Sweep failed; retrying at the next interval");
            }
        }
    }

    public async Task SweepOnceAsync(CancellationToken cancellationToken)
    {
        var now = Clock.Now(time);
        var backlogState = await backlog.GetStateAsync(cancellationToken);
        outages.Observe(
            bus.CheckHealth().Status == BusHealthStatus.Healthy && backlogState is ExecutionBacklogState.Empty or ExecutionBacklogState.Waiting, now);
        var stalledBefore = now - options.Value.ExecutionDeadline;
        foreach (var run in await runs.FindRunsNeedingAttentionAsync(stalledBefore, RunsPerSweep, cancellationToken))
            await saga.SweepAsync(run, bus, cancellationToken);
    }
}
