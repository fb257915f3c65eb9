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
        // Microsoft.Extensions.AI's OpenTelemetry client creates its meter itself, not through the factory.
        using var durations = new MetricCollector<double>((object?)null, RunsDiagnostics.Name, "gen_ai.client.operation.duration");
        harness.Server.Enqueue(ModelAnswer.ServerError(503), ModelAnswer.Text("{\"ok\": true}"));

        var outcome = await harness.RunAsync("extract", Config, Input, Exists);

        Assert.Equal(Verdict.Passed, outcome.Verdict);
        var retry = Assert.Single(retries.GetMeasurementSnapshot());
        Assert.Equal(1, retry.Value);
        Assert.Equal("stub-default", retry.Tags["gen_ai.request.model"]);
        Assert.Contains(durations.GetMeasurementSnapshot(), m => m.Tags.TryGetValue("gen_ai.request.model", out var model) && model as string == "stub-default");
    }
}
