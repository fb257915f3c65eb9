using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Retab.Runs.Core.Observability;

namespace Retab.Runs.Acceptance.Tests.Observability;

/// <summary>The runs-in-flight gauge reads the store's count of active runs (cached a few seconds, refreshed by collection).</summary>
public sealed class RunsInFlightTests : IDisposable
{
    private readonly StandaloneHost _host = new();

    [Fact]
    public async Task A_run_in_progress_is_in_flight_and_once_ended_is_not()
    {
        var api = _host.Client();
        using var inFlight = new MetricCollector<long>(_host.Services.GetRequiredService<IMeterFactory>(), RunsDiagnostics.Name, RunsMetrics.RunsInFlightName);
        var workflowId = await api.CreateWorkflowAsync(("block_slow", Functions.Slow));
        for (var i = 0; i < 30; i++)
            await api.CreateTestAsync(workflowId, "block_slow", i, "done", Functions.Condition("equals", true));

        var runId = await api.StartRunAsync(workflowId);
        await ObserveUntil(inFlight, 1);
        await api.WaitForTerminalAsync(runId);
        await ObserveUntil(inFlight, 0);
    }

    private static async Task ObserveUntil(MetricCollector<long> gauge, long expected)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            gauge.RecordObservableInstruments();
            if (gauge.LastMeasurement?.Value == expected)
                return;
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException($"The gauge stayed at {gauge.LastMeasurement?.Value}, not {expected}.");
            await Task.Delay(100);
        }
    }

    public void Dispose() => _host.Dispose();
}
