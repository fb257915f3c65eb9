using System.Diagnostics;
using System.Runtime.Versioning;
using Retab.Runs.Testing;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>An open live stream never holds up a gateway's shutdown: it ends, and the client resumes elsewhere.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class RunEventsShutdownTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retab-runs-tests", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task SIGTERM_ends_open_streams_without_a_final_event_and_the_process_exits_promptly()
    {
        await using var process = StandaloneProcess.Start(_folder, new Dictionary<string, string>
        {
            ["Auth:ApiKeys:0:Key"] = StandaloneHost.KeyA,
            ["Auth:ApiKeys:0:OrganizationId"] = "org_a",
        });
        using var http = await process.ClientAsync(StandaloneHost.KeyA);
        var api = new ApiClient(http);
        // Tests far slower than the shutdown, so the run is still going when the signal comes.
        var workflowId = await api.CreateWorkflowAsync(("block_wait", "function main(input) { var end = Date.now() + 3000; while (Date.now() < end) {} return 1; }"));
        for (var i = 0; i < 6; i++)
            await api.CreateTestAsync(workflowId, "block_wait", i, null, Functions.Condition("equals", 1));
        var runId = await api.StartRunAsync(workflowId);

        var opened = new TaskCompletionSource();
        var reading = RunEvents.ReadAsync(http, runId, stopAfter: seen =>
        {
            opened.TrySetResult();
            return false;
        });
        await opened.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        process.Terminate();

        var events = await reading.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(20)), $"The process still runs:\n{process.Output()}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"The shutdown took {clock.Elapsed} with a stream open.");
        Assert.DoesNotContain(events, RunEvents.IsFinal);
        Assert.Equal("progress", events[0].Type);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}
