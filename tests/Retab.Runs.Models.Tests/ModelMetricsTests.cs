using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Retab.Runs.Core.Observability;
using Retab.Runs.Core.Runs;
using Retab.Runs.Testing.ModelServer;
using static Retab.Runs.Models.Tests.ModelHarness;

namespace Retab.Runs.Models.Tests;

/// <summary>Model calls on the Retab.Runs meter: each retry counted by model, and each call's duration and tokens by model.</summary>
public sealed class ModelMetricsTests
{
    private const string Config = "{'json_schema': {'type': 'object'}}";
    private const string Input = "{'input-json-0': {'type': 'json', 'data': 'x'}}";
    private const string Exists = "{'target': {'output_handle_id': 'output-json-0'}, 'condition': {'kind': 'exists'}}";

    [Fact]
    public async Task A_call_retried_once_counts_one_retry_of_its_model_and_is_measured_by_model()
    {
        await using var harness = await StartAsync();
        using var retries = new MetricCollector<long>(harness.Services.GetRequiredService<IMeterFactory>(), RunsDiagnostics.Name, "retab.runs.model.retries");
        // Microsoft.Extensions.AI's OpenTelemetry client creates its meter itself, not through the factory, so every
        // harness of this process has an instrument of that name: this call is told apart by its server's port.
        using var durations = new OperationDurations();
        harness.Server.Enqueue(ModelAnswer.ServerError(503), ModelAnswer.Text("{\"ok\": true}"));

        var outcome = await harness.RunAsync("extract", Config, Input, Exists);

        Assert.Equal(Verdict.Passed, outcome.Verdict);
        var retry = Assert.Single(retries.GetMeasurementSnapshot());
        Assert.Equal(1, retry.Value);
        Assert.Equal("stub-default", retry.Tags["gen_ai.request.model"]);
        var port = new Uri(harness.Server.BaseUrl).Port;
        Assert.Contains(durations.Snapshot(), tags => tags.GetValueOrDefault("server.port") is int p && p == port
                                                     && tags.GetValueOrDefault("gen_ai.request.model") as string == "stub-default");
    }

    /// <summary>The tags of every <c>gen_ai.client.operation.duration</c> measurement on a Retab.Runs meter of this process.</summary>
    private sealed class OperationDurations : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly System.Collections.Concurrent.ConcurrentQueue<Dictionary<string, object?>> _measurements = new();

        public OperationDurations()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == RunsDiagnostics.Name && instrument.Name == "gen_ai.client.operation.duration")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
                _measurements.Enqueue(tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            _listener.Start();
        }

        public IReadOnlyList<Dictionary<string, object?>> Snapshot() => [.. _measurements];

        public void Dispose() => _listener.Dispose();
    }
}
