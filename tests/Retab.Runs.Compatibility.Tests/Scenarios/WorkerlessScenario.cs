using System.Net;
using Retab.Runs.Compatibility.Tests.Hosts;
using Retab.Runs.Compatibility.Tests.Payloads;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Common;

namespace Retab.Runs.Compatibility.Tests.Scenarios;

/// <summary>
/// With no worker, what a worker hurries past holds still: a run queued with queued results, the 429 of an
/// organization at its limit of runs in progress, the sweeper's <c>worker_lost</c> results; and a run that a third
/// party asked for on the bus, for a workflow that does not exist, which ends in <c>error</c>.
/// </summary>
public static class WorkerlessScenario
{
    private const string EchoBlock = "block_echo";
    private const string Echo = "function main(input) { return { v: input.i }; }";

    public static async Task RunAsync(PayloadCatalog catalog)
    {
        await using var host = await WorkerlessHost.StartAsync(new Dictionary<string, string?>
        {
            ["Orchestrator:ExecutionDeadline"] = "00:00:01",
            ["Orchestrator:SweepInterval"] = "00:00:00.250",
            ["Orchestrator:MaxAttempts"] = "2",
            ["Limits:MaxRunsInProgressPerOrganization"] = "1",
        });
        var api = host.Api();
        var workflowId = await api.CreateWorkflowAsync("no worker", new JsonArray(Blocks.Function(EchoBlock, Echo)));
        for (var i = 0; i < 3; i++)
            (await api.PostAsync("/v1/workflows/tests", Blocks.Test(workflowId, EchoBlock, new JsonObject { ["i"] = i }, "v", Blocks.EqualTo(i))))
                .Expect(HttpStatusCode.Created);

        var started = await api.StartRunAsync(workflowId);
        catalog.Record("run-pending", started);
        catalog.Record("error-429", (await api.PostAsync("/v1/workflows/tests/runs", new JsonObject { ["workflow_id"] = workflowId }))
            .Expect(HttpStatusCode.TooManyRequests));
        catalog.Record("run-queued", await api.WaitForRunAsync(started.Id, run => ApiClient.Status(run) == "queued", "queued"));
        var queued = (await api.AllResultsAsync(started.Id)).First(r => ApiClient.Status(r) == "queued");
        catalog.Record("result-queued", (await api.GetAsync($"/v1/workflows/tests/results/{queued["id"]!.GetValue<string>()}")).Expect(HttpStatusCode.OK));

        catalog.Record("run-completed-with-errors", await api.WaitForTerminalAsync(started.Id));
        var lost = (await api.AllResultsAsync(started.Id)).First();
        catalog.Record("result-error-worker-lost", (await api.GetAsync($"/v1/workflows/tests/results/{lost["id"]!.GetValue<string>()}")).Expect(HttpStatusCode.OK));

        var orphanRunId = ResourceIds.New(ResourceIds.Run);
        await host.PublishAsync(new CreateTestRun
        {
            RunId = orphanRunId,
            OrganizationId = Keys.OrganizationId,
            WorkflowId = "wf_0000000000unknown000000000000",
            RequestedAt = DateTimeOffset.UtcNow,
        });
        catalog.Record("run-error", await WaitUntilStoredAndEndedAsync(api, orphanRunId));
    }

    /// <summary>A run asked for on the bus exists only once the orchestrator stored it.</summary>
    private static async Task<ApiResponse> WaitUntilStoredAndEndedAsync(ApiClient api, string runId)
    {
        for (var attempt = 0; attempt < 1500; attempt++)
        {
            var run = await api.GetRunAsync(runId);
            if (run.Status == HttpStatusCode.OK)
                return await api.WaitForTerminalAsync(runId);
            await Task.Delay(20);
        }
        throw new InvalidOperationException($"Run {runId}, published on the bus, was never stored.");
    }
}
