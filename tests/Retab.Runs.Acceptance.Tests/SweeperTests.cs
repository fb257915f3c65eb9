using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Retab.Runs.Gateway;
using Retab.Runs.Messaging;
using Retab.Runs.Orchestrator;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// DESIGN §5 rule 6: with no worker alive, the sweeper re-sends each test up to its attempt limit, then ends the
/// slots in <c>error</c> (<c>worker_lost</c>) and the run still reaches a terminal state with exact counts.
/// </summary>
public sealed class SweeperTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retab-runs-tests", Guid.NewGuid().ToString("n"));
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:LiteDb:Path"] = Path.Combine(_folder, "runs.db"),
            ["Auth:ApiKeys:0:Key"] = StandaloneHost.KeyA,
            ["Auth:ApiKeys:0:OrganizationId"] = "org_a",
            ["Orchestrator:ExecutionDeadline"] = "00:00:01",
            ["Orchestrator:SweepInterval"] = "00:00:00.250",
            ["Orchestrator:MaxAttempts"] = "2",
        });
        // Gateway and orchestrator only: every execution message is lost.
        builder.Services
            .AddLiteDbStorage(builder.Configuration)
            .AddRunGateway(builder.Configuration)
            .AddRunOrchestrator(builder.Configuration)
            .AddRunsBus(builder.Configuration);
        _app = builder.Build();
        _app.MapRunGateway();
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Tests_no_worker_finishes_end_as_worker_lost_and_the_run_still_completes()
    {
        var http = _app.GetTestClient();
        http.DefaultRequestHeaders.Add("Api-Key", StandaloneHost.KeyA);
        var api = new ApiClient(http);
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
            Assert.Equal(RunSweeper.WorkerLost, row["lifecycle"]!["details"]!["error_code"]!.GetValue<string>());
            Assert.Equal(2, row["attempt"]!.GetValue<int>());
            Assert.Null(row["verdict"]);
        });
        (await api.PostAsync($"/v1/workflows/tests/runs/{runId}/cancel", null)).ShouldBe(HttpStatusCode.Conflict);
    }
}
