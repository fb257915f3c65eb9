using System.Net;
using Retab.Runs.Core.Runs;
using Retab.Runs.Orchestrator;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// DESIGN §5 rule 6: with no worker alive, the sweeper gives each test its attempts (without sending again what still
/// waits in the queue), then ends the slots in <c>error</c> (<c>worker_lost</c>) and the run still reaches a terminal
/// state with exact counts.
/// </summary>
public sealed class SweeperTests : IAsyncLifetime
{
    private WorkerlessHost _host = null!;

    public async Task InitializeAsync() => _host = await WorkerlessHost.StartAsync(new Dictionary<string, string?>
        {
            ["Orchestrator:ExecutionDeadline"] = "00:00:01",
            ["Orchestrator:SweepInterval"] = "00:00:00.250",
            ["Orchestrator:MaxAttempts"] = "2",
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Tests_no_worker_finishes_end_as_worker_lost_and_the_run_still_completes()
    {
        var api = _host.Api();
        var workflowId = await api.CreateWorkflowAsync(("block_echo", Functions.Echo));
        for (var i = 0; i < 3; i++)
            await api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = i }, "v", Functions.Condition("equals", i));

        var runId = await api.StartRunAsync(workflowId);
        var run = await api.WaitForTerminalAsync(runId, TimeSpan.FromSeconds(60));

        Assert.Equal("completed", RunInvariants.Status(run));
        Assert.Equal(3, run["counts"]!["lifecycle_counts"]!["error"]!.GetValue<int>());
        Assert.Equal(0, run["counts"]!["lifecycle_counts"]!["completed"]!.GetValue<int>());
        var rows = await api.AllResultsAsync(runId);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal("error", row["lifecycle"]!["status"]!.GetValue<string>());
            Assert.Equal(RunErrorCodes.WorkerLost, row["lifecycle"]!["details"]!["error_code"]!.GetValue<string>());
            Assert.Equal(2, row["attempt"]!.GetValue<int>());
            Assert.Null(row["verdict"]);
        });
        (await api.PostAsync($"/v1/workflows/tests/runs/{runId}/cancel", null)).ShouldBe(HttpStatusCode.Conflict);
    }
}
