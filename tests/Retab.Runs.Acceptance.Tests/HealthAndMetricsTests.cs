using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Retab.Runs.Core.Observability;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// What an operator points tooling at on the standalone host: health on every start, <c>/metrics</c> in Prometheus
/// text only when <c>Metrics:Prometheus</c> is on (the embedded host keeps it off by default), and JSON console lines
/// when <c>Logging:Format</c> says so.
/// </summary>
public sealed class HealthAndMetricsTests
{
    private const string PrometheusText = "text/plain";

    [Fact]
    public async Task Metrics_are_served_in_Prometheus_text_with_the_Retab_Runs_series_and_runtime_series_when_enabled()
    {
        using var host = new StandaloneHost(settings: new Dictionary<string, string?> { ["Metrics:Prometheus"] = "true" });
        using var http = host.CreateClient();
        var metrics = host.Services.GetRequiredService<RunsMetrics>();
        metrics.TestsFinished.Add(1,
            new KeyValuePair<string, object?>(RunsTags.Verdict, "passed"),
            new KeyValuePair<string, object?>(RunsTags.BlockType, "function"));

        using var response = await http.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PrometheusText, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("retab_runs_tests_finished_total{", body);
        Assert.Contains("retab_verdict=\"passed\"", body);
        Assert.Contains("retab_block_type=\"function\"", body);
        Assert.Contains("\ndotnet_", body);
        Assert.Contains("\nprocess_", body);
    }

    [Fact]
    public async Task By_default_there_is_no_metrics_endpoint_and_both_health_endpoints_answer()
    {
        using var host = new StandaloneHost();
        using var http = host.CreateClient();

        using var metrics = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        foreach (var path in new[] { "/health/live", "/health/ready" })
        {
            using var health = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Logging_Format_json_writes_one_JSON_object_per_console_line()
    {
        var folder = Path.Combine(Path.GetTempPath(), "retab-runs-tests", Guid.NewGuid().ToString("n"));
        try
        {
            await using var process = StandaloneProcess.Start(folder, new Dictionary<string, string>
            {
                ["Logging:Format"] = "json",
                ["Auth:ApiKeys:0:Key"] = StandaloneHost.KeyA,
                ["Auth:ApiKeys:0:OrganizationId"] = "org_a",
            });
            using var http = await process.ClientAsync(StandaloneHost.KeyA);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);

            var lines = await LinesAsync(process, atLeast: 1);
            foreach (var line in lines)
            {
                using var entry = JsonDocument.Parse(line);
                Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), line);
                Assert.True(entry.RootElement.TryGetProperty("Category", out _), line);
            }
            Assert.Contains(lines, line => line.Contains("Now listening on: ", StringComparison.Ordinal));
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The process's non-empty output lines, once there are some.</summary>
    private static async Task<List<string>> LinesAsync(StandaloneProcess process, int atLeast)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var lines = process.Output().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            if (lines.Count >= atLeast || clock.Elapsed > TimeSpan.FromSeconds(10))
                return lines;
            await Task.Delay(100);
        }
    }
}
