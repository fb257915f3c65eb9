using System.Net;

namespace Retab.Runs.Acceptance.Tests;

public sealed class CancelTests : IDisposable
{
    private readonly StandaloneHost _host = new();

    [Fact]
    public async Task Cancelled_run_counts_still_sum_to_total_tests()
    {
        var api = _host.Client();
        var workflowId = await api.CreateWorkflowAsync(("block_slow", Functions.Slow));
        for (var i = 0; i < 40; i++)
            await api.CreateTestAsync(workflowId, "block_slow", i, "done", Functions.Condition("equals", true));
        var runId = await api.StartRunAsync(workflowId);

        // Cancel while the run is genuinely in flight: some tests done, most still queued.
        await WaitUntilAsync(api, runId, run => run["counts"]!["lifecycle_counts"]!["completed"]!.GetValue<int>() > 0);
        var cancelled = (await api.PostAsync($"/v1/workflows/tests/runs/{runId}/cancel", new JsonObject { ["reason"] = "enough" }))
            .ShouldBe(HttpStatusCode.OK).Json!;
        RunInvariants.Check(cancelled);
        Assert.Equal("cancelled", RunInvariants.Status(cancelled));
        Assert.Equal("enough", cancelled["lifecycle"]!["reason"]!.GetValue<string>());
        var cancelledCount = cancelled["counts"]!["cancelled"]!.GetValue<int>();
        Assert.True(cancelledCount > 0, cancelled.ToJsonString());

        // Workers still report what was in flight; none of it may move the counts of a cancelled run.
        await Task.Delay(1500);
        var later = (await api.GetAsync($"/v1/workflows/tests/runs/{runId}")).ShouldBe(HttpStatusCode.OK).Json!;
        RunInvariants.Check(later);
        Assert.Equal("cancelled", RunInvariants.Status(later));
        Assert.Equal(cancelled["counts"]!.ToJsonString(), later["counts"]!.ToJsonString());

        var rows = await api.AllResultsAsync(runId);
        Assert.Equal(40, rows.Count);
        Assert.Equal(cancelledCount, rows.Count(r => r["lifecycle"]!["status"]!.GetValue<string>() == "cancelled"));
        Assert.Equal(later["counts"]!["lifecycle_counts"]!["completed"]!.GetValue<int>(), rows.Count(r => r["lifecycle"]!["status"]!.GetValue<string>() == "completed"));

        var again = await api.PostAsync($"/v1/workflows/tests/runs/{runId}/cancel", null);
        again.ShouldBe(HttpStatusCode.Conflict);
        Assert.Equal("run_not_cancellable", again.Json!["detail"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancelling_a_finished_run_is_a_conflict_and_an_unknown_one_is_not_found()
    {
        var api = _host.Client();
        var workflowId = await api.CreateWorkflowAsync(("block_echo", Functions.Echo));
        await api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = 1 }, "v", Functions.Condition("equals", 1));
        var runId = await api.StartRunAsync(workflowId);
        await api.WaitForTerminalAsync(runId);

        (await api.PostAsync($"/v1/workflows/tests/runs/{runId}/cancel", null)).ShouldBe(HttpStatusCode.Conflict);
        var unknown = (await api.PostAsync("/v1/workflows/tests/runs/wftestrun_doesnotexist000000000000000/cancel", null)).ShouldBe(HttpStatusCode.NotFound);
        Assert.Equal("run_not_found", unknown.Json!["detail"]!["code"]!.GetValue<string>());
    }

    private static async Task WaitUntilAsync(ApiClient api, string runId, Func<JsonNode, bool> condition)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            var run = (await api.GetAsync($"/v1/workflows/tests/runs/{runId}")).ShouldBe(HttpStatusCode.OK).Json!;
            RunInvariants.Check(run);
            if (condition(run))
                return;
            Assert.False(RunInvariants.IsTerminal(run), $"The run ended before it could be cancelled: {run.ToJsonString()}");
            await Task.Delay(25);
        }
        throw new TimeoutException($"Run {runId} never reached the wanted state.");
    }

    public void Dispose() => _host.Dispose();
}
