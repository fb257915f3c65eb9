using System.Net;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>One organization's huge run must not starve another organization's single test (per-organization window).</summary>
public sealed class FairnessTests : IDisposable
{
    private const int Window = 4;

    private readonly StandaloneHost _host = new(settings: new Dictionary<string, string?>
    {
        ["Orchestrator:MaxTestsInFlightPerOrganization"] = Window.ToString(),
        // Every start reported, so a 100 ms test shows running and the window can be watched from the counts.
        ["Worker:StartedGrace"] = "00:00:00",
    });

    [Fact]
    public async Task A_single_test_of_one_organization_completes_while_another_organizations_huge_run_is_still_running()
    {
        var a = _host.Client(StandaloneHost.KeyA);
        var b = _host.Client(StandaloneHost.KeyB);
        var hugeWorkflow = await a.CreateWorkflowAsync(("block_slow", Functions.Slow));
        for (var i = 0; i < 200; i++)
            await a.CreateTestAsync(hugeWorkflow, "block_slow", i, "done", Functions.Condition("equals", true));
        var singleWorkflow = await b.CreateWorkflowAsync(("block_echo", Functions.Echo));
        await b.CreateTestAsync(singleWorkflow, "block_echo", new JsonObject { ["i"] = 7 }, "v", Functions.Condition("equals", 7));

        var hugeRun = await a.StartRunAsync(hugeWorkflow);
        await WaitUntilAsync(a, hugeRun, run => Count(run, "running") + Count(run, "passed") > 0);
        var singleRun = await b.StartRunAsync(singleWorkflow);

        var single = await b.WaitForTerminalAsync(singleRun, TimeSpan.FromSeconds(20));
        Assert.Equal("completed", RunInvariants.Status(single));
        Assert.Equal(1, Count(single, "passed"));

        var huge = (await a.GetAsync($"/v1/workflows/tests/runs/{hugeRun}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.False(RunInvariants.IsTerminal(huge), $"The huge run should still be going: {huge.ToJsonString()}");
        Assert.True(Count(huge, "queued") > 100, huge.ToJsonString());

        (await a.PostAsync($"/v1/workflows/tests/runs/{hugeRun}/cancel", null)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_organization_never_has_more_tests_running_than_its_window_and_its_counts_stay_exact()
    {
        var a = _host.Client(StandaloneHost.KeyA);
        var workflow = await a.CreateWorkflowAsync(("block_slow", Functions.Slow));
        for (var i = 0; i < 30; i++)
            await a.CreateTestAsync(workflow, "block_slow", i, "done", Functions.Condition("equals", true));

        var runId = await a.StartRunAsync(workflow);
        var maxRunning = 0;
        while (true)
        {
            var run = (await a.GetAsync($"/v1/workflows/tests/runs/{runId}")).ShouldBe(HttpStatusCode.OK).Json!;
            RunInvariants.Check(run);
            maxRunning = Math.Max(maxRunning, Count(run, "running"));
            if (RunInvariants.IsTerminal(run))
            {
                Assert.Equal("completed", RunInvariants.Status(run));
                Assert.Equal(30, Count(run, "passed"));
                break;
            }
            await Task.Delay(20);
        }
        Assert.InRange(maxRunning, 1, Window);
    }

    private static int Count(JsonNode run, string name) => run["counts"]![name]!.GetValue<int>();

    private static async Task WaitUntilAsync(ApiClient api, string runId, Func<JsonNode, bool> condition)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            var run = (await api.GetAsync($"/v1/workflows/tests/runs/{runId}")).ShouldBe(HttpStatusCode.OK).Json!;
            if (condition(run))
                return;
            await Task.Delay(25);
        }
        throw new TimeoutException($"Run {runId} never reached the wanted state.");
    }

    public void Dispose() => _host.Dispose();
}
