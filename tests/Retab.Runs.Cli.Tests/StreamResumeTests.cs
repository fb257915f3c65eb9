using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Spectre.Console.Testing;

namespace Retab.Runs.Cli.Tests;

/// <summary>
/// A dropped event stream is resumed with <c>Last-Event-ID</c> and a result sent again is counted once. The real host
/// never drops a connection on purpose, so a loopback Kestrel server plays a stream that ends in the middle of its second result.
/// </summary>
public sealed class StreamResumeTests : IAsyncLifetime
{
    private const string RunId = "wftestrun_resume";
    private readonly ConcurrentQueue<string?> _lastEventIds = new();
    private WebApplication _server = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.MapGet("/v1/workflows/tests/runs/{run_id}", () => Results.Text(Run("running", 0, 0), "application/json"));
        _server.MapGet("/v1/workflows/tests", () => Results.Text("""{"data": [], "list_metadata": {"before": null, "after": null}}""", "application/json"));
        _server.MapGet("/v1/workflows/tests/runs/{run_id}/events", StreamAsync);
        await _server.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task StreamAsync(HttpContext http)
    {
        var lastEventId = http.Request.Headers["Last-Event-ID"].FirstOrDefault();
        _lastEventIds.Enqueue(lastEventId);
        http.Response.ContentType = "text/event-stream";
        if (lastEventId is null)
        {
            await http.Response.WriteAsync($"event: progress\nid: c1\ndata: {Run("running", 0, 0)}\n\n");
            await http.Response.WriteAsync($"event: result\nid: c2\ndata: {Result("r1", "passed")}\n\n");
            await http.Response.WriteAsync("event: result\nid: c3\ndata: {\"id\": \"r2\", \"cut off");
            // The response ends inside an event, as when a proxy drops the connection: no final event came.
            return;
        }
        await http.Response.WriteAsync($"event: progress\nid: c2\ndata: {Run("running", 1, 0)}\n\n");
        await http.Response.WriteAsync($"event: result\nid: c3\ndata: {Result("r1", "passed")}\n\n");
        await http.Response.WriteAsync($"event: result\nid: c4\ndata: {Result("r2", "failed")}\n\n");
        await http.Response.WriteAsync($"event: completed\nid: c5\ndata: {Run("completed", 1, 1)}\n\n");
    }

    private static string Run(string status, int passed, int failed) => new JsonObject
    {
        ["id"] = RunId, ["run_id"] = RunId, ["workflow_id"] = "wf_resume", ["lifecycle"] = new JsonObject { ["status"] = status },
        ["total_tests"] = 2, ["timing"] = new JsonObject { ["duration_ms"] = 10 },
        ["counts"] = new JsonObject { ["queued"] = 2 - passed - failed, ["running"] = 0, ["passed"] = passed, ["failed"] = failed, ["blocked"] = 0, ["error"] = 0, ["cancelled"] = 0 },
    }.ToJsonString();

    private static string Result(string id, string verdict) => new JsonObject
    {
        ["id"] = id, ["run_id"] = RunId, ["test_id"] = $"t_{id}", ["block_id"] = "block_a", ["verdict"] = verdict,
        ["lifecycle"] = new JsonObject { ["status"] = "completed" },
    }.ToJsonString();

    [Fact]
    public async Task A_dropped_stream_resumes_after_the_last_event_and_a_result_sent_twice_counts_once()
    {
        var console = (TestConsole)new TestConsole().Width(120);
        var context = new CliContext(console)
        {
            Environment = name => name switch { "RETAB_RUNS_API_KEY" => "any", _ => null },
            WorkingDirectory = Path.GetTempPath(),
            HomeDirectory = Path.GetTempPath(),
            ReconnectDelay = TimeSpan.FromMilliseconds(10),
        };
        var address = _server.Urls.Single();

        var exitCode = await CliApp.RunAsync(["runs", "watch", RunId, "--json", "--base-url", address], context);

        Assert.True(exitCode == 1, console.Output);
        Assert.Equal([null, "c2"], _lastEventIds);
        var results = JsonNode.Parse(console.Output)!["results"]!.AsArray();
        Assert.Equal(["r1", "r2"], results.Select(result => result!["id"]!.GetValue<string>()).Order());
    }
}
