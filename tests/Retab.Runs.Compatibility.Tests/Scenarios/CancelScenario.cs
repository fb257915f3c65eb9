using System.Diagnostics;
using System.Net;
using Retab.Runs.Compatibility.Tests.Hosts;
using Retab.Runs.Compatibility.Tests.Payloads;

namespace Retab.Runs.Compatibility.Tests.Scenarios;

/// <summary>
/// A run of slow functions read while it is running (a running run, a running result), then cancelled: the
/// cancel answer, the cancelled run, its cancelled results, and a test whose latest result was cancelled.
/// </summary>
public static class CancelScenario
{
    private const string SlowBlock = "block_slow";
    private const int TestCount = 40;

    public static async Task RunAsync(PayloadCatalog catalog)
    {
        using var host = new StandaloneHost();
        var api = host.Api();
        var workflowId = await api.CreateWorkflowAsync("slow", new JsonArray(Blocks.Function(SlowBlock, Blocks.Slow)));
        for (var i = 0; i < TestCount; i++)
            (await api.PostAsync("/v1/workflows/tests", Blocks.Test(workflowId, SlowBlock, i, "done", Blocks.EqualTo(true))))
                .Expect(HttpStatusCode.Created);

        var runId = (await api.StartRunAsync(workflowId)).Id;
        catalog.Record("run-running", await api.WaitForRunAsync(runId, run => ApiClient.Status(run) == "running", "running"));
        await RecordARunningResultAsync(api, catalog, runId);

        var cancelled = (await api.PostAsync($"/v1/workflows/tests/runs/{runId}/cancel", new JsonObject { ["reason"] = "enough" }))
            .Expect(HttpStatusCode.OK);
        catalog.Record("run-cancelled", cancelled);
        catalog.Record("run-cancelled", (await api.GetRunAsync(runId)).Expect(HttpStatusCode.OK));

        var rows = await api.AllResultsAsync(runId);
        var cancelledRow = rows.First(r => ApiClient.Status(r) == "cancelled");
        catalog.Record("result-cancelled", (await api.GetAsync($"/v1/workflows/tests/results/{cancelledRow["id"]!.GetValue<string>()}"))
            .Expect(HttpStatusCode.OK));
        catalog.Record("test-latest-cancelled", (await api.GetAsync($"/v1/workflows/tests/{cancelledRow["test_id"]!.GetValue<string>()}"))
            .Expect(HttpStatusCode.OK));
    }

    /// <summary>A result is running only while a worker holds it, so read the run's rows until one is.</summary>
    private static async Task RecordARunningResultAsync(ApiClient api, PayloadCatalog catalog, string runId)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var page = (await api.GetAsync($"/v1/workflows/tests/results?run_id={runId}&status=running")).Expect(HttpStatusCode.OK);
            if (page.Json!["data"]!.AsArray().FirstOrDefault() is { } running)
            {
                catalog.Record("result-running", page.Request, running);
                return;
            }
            await Task.Delay(10);
        }
        throw new InvalidOperationException($"No result of run {runId} was seen running.");
    }
}
