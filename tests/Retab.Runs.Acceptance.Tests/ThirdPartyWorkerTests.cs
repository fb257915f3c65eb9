using System.Net;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Orchestrator;
using Retab.Runs.Testing;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// Workers are not all ours: anything may publish <c>WorkflowTestFinished</c> onto the bus. Gateway and orchestrator run
/// here on the in-memory bus and a LiteDB file, with no worker; the tests publish every result as a third-party worker
/// would. Whatever one result holds, the others are stored and both organizations' runs complete (DESIGN §7).
/// </summary>
public sealed class ThirdPartyWorkerTests : IAsyncLifetime
{
    private WorkerlessHost _host = null!;

    public async Task InitializeAsync() => _host = await WorkerlessHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ApiClient Api(string key) => _host.Api(key);

    /// <summary>A run of <paramref name="testCount"/> echo tests, and its result rows once the orchestrator has planned them.</summary>
    private static async Task<(string RunId, List<JsonNode> Rows)> PlannedRunAsync(ApiClient api, int testCount)
    {
        var workflowId = await api.CreateWorkflowAsync(("block_echo", Functions.Echo));
        for (var i = 0; i < testCount; i++)
            await api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = i }, "v", Functions.Condition("equals", i));
        var runId = await api.StartRunAsync(workflowId);
        var rows = new List<JsonNode>();
        await Eventually.WaitAsync(async () => (rows = await api.AllResultsAsync(runId)).Count == testCount,
            TimeSpan.FromSeconds(30), $"the {testCount} result slots of {runId}");
        return (runId, rows);
    }

    /// <summary>A <c>WorkflowTestFinished</c> as a third-party worker publishes it: passed, with <paramref name="data"/> as the output.</summary>
    private static async Task<WorkflowTestFinished> PassedAsync(ApiClient api, string organizationId, JsonNode row, JsonNode data)
    {
        var test = await api.GetAsync($"/v1/workflows/tests/{row["test_id"]!.GetValue<string>()}");
        test.ShouldBe(HttpStatusCode.OK);
        var now = DateTimeOffset.UtcNow;
        return new WorkflowTestFinished
        {
            RunId = row["run_id"]!.GetValue<string>(),
            OrganizationId = organizationId,
            TestId = row["test_id"]!.GetValue<string>(),
            ResultId = row["id"]!.GetValue<string>(),
            Lifecycle = "completed",
            Verdict = "passed",
            // Written as deep as it is: the publisher is not bound by System.Text.Json's default of 64 levels.
            HandleOutputs = JsonSerializer.SerializeToElement(
                new JsonObject { ["output-json-0"] = new JsonObject { ["type"] = "json", ["data"] = data } }, new JsonSerializerOptions { MaxDepth = 256 }),
            AssertionResult = JsonSerializer.SerializeToElement(new
            {
                assertion_id = test.Json!["assertion"]!["id"]!.GetValue<string>(),
                condition_kind = "equals",
                outcome = "passed",
            }),
            StartedAt = now.AddMilliseconds(-5),
            CompletedAt = now,
            WorkerId = "partner-worker-1",
        };
    }

    [Fact]
    public async Task An_oversized_result_is_an_error_of_its_own_and_both_organizations_runs_complete_with_every_other_result()
    {
        var (apiA, apiB) = (Api(StandaloneHost.KeyA), Api(StandaloneHost.KeyB));
        var (runA, rowsA) = await PlannedRunAsync(apiA, 3);
        var (runB, rowsB) = await PlannedRunAsync(apiB, 2);
        var culpritId = rowsA[1]["id"]!.GetValue<string>();
        var finishes = new List<WorkflowTestFinished>();
        foreach (var row in rowsA)
            finishes.Add(await PassedAsync(apiA, "org_a", row, row["id"]!.GetValue<string>() == culpritId ? new string('x', 16 * 1024 * 1024) : "fine"));
        foreach (var row in rowsB)
            finishes.Add(await PassedAsync(apiB, "org_b", row, "fine"));

        var bus = _host.Services.GetRequiredService<IBus>();
        await Task.WhenAll(finishes.Select(finished => bus.Publish(finished)));

        var completedA = await apiA.WaitForTerminalAsync(runA, TimeSpan.FromSeconds(60));
        var completedB = await apiB.WaitForTerminalAsync(runB, TimeSpan.FromSeconds(60));
        Assert.Equal("completed", RunInvariants.Status(completedA));
        Assert.Equal("completed", RunInvariants.Status(completedB));
        Assert.Equal(2, completedA["counts"]!["passed"]!.GetValue<int>());
        Assert.Equal(1, completedA["counts"]!["error"]!.GetValue<int>());
        Assert.Equal(2, completedB["counts"]!["passed"]!.GetValue<int>());

        var resultsA = await apiA.AllResultsAsync(runA);
        var resultsB = await apiB.AllResultsAsync(runB);
        Assert.Equal(3, resultsA.Count);
        Assert.Equal(2, resultsB.Count);
        var culprit = resultsA.Single(r => r["id"]!.GetValue<string>() == culpritId);
        Assert.Equal("error", culprit["lifecycle"]!["status"]!.GetValue<string>());
        Assert.Equal(RunErrorCodes.ResultTooLarge, culprit["lifecycle"]!["details"]!["error_code"]!.GetValue<string>());
        Assert.Contains("MaxStoredDocumentBytes", culprit["lifecycle"]!["details"]!["message"]!.GetValue<string>());
        Assert.All(resultsA.Where(r => r != culprit).Concat(resultsB), row =>
        {
            Assert.Equal("completed", row["lifecycle"]!["status"]!.GetValue<string>());
            Assert.Equal("passed", row["verdict"]!.GetValue<string>());
            Assert.Equal("fine", row["handle_outputs"]!["output-json-0"]!["data"]!.GetValue<string>());
        });
    }

    [Fact]
    public async Task A_result_nested_100_levels_deep_crosses_the_bus_and_is_stored_whole()
    {
        var api = Api(StandaloneHost.KeyA);
        var (runId, rows) = await PlannedRunAsync(api, 1);
        JsonNode deep = JsonValue.Create("bottom");
        for (var level = 0; level < 100; level++)
            deep = new JsonObject { ["next"] = deep };

        await _host.Services.GetRequiredService<IBus>().Publish(await PassedAsync(api, "org_a", rows[0], deep));

        Assert.Equal("completed", RunInvariants.Status(await api.WaitForTerminalAsync(runId, TimeSpan.FromSeconds(60))));
        // Read from the store: the public API renders values at most Limits:MaxJsonDepth deep, which is its own concern.
        var stored = await _host.Services.GetRequiredService<IRunStore>().GetResultAsync("org_a", rows[0]["id"]!.GetValue<string>());
        Assert.Equal(deep.ToJsonString(), stored!.HandleOutputs!["output-json-0"]!["data"]!.ToJsonString());
    }
}
