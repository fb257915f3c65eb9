using System.Diagnostics;
using Retab.Runs.Integration.Tests.Infrastructure;

namespace Retab.Runs.Integration.Tests;

/// <summary>
/// The production shape on a real broker: gateway and orchestrator as separate hosts (own service providers and
/// buses) on one shared-mode LiteDB file, and two workers as separate OS processes on the same execute queue.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class DistributedRunTests(BrokerFixture broker, ITestOutputHelper output)
{
    private const int TestCount = 500;
    private const int FailEvery = 7;
    private const string WorkerA = "it-worker-a";
    private const string WorkerB = "it-worker-b";

    /// <summary>Returns its input's index; every 7th test expects the wrong value, so it fails on purpose.</summary>
    private const string Echo = "function main(input) { return { v: input.i }; }";

    [SkippableFact]
    public async Task A_500_test_run_over_two_worker_processes_completes_with_exact_counts_and_both_workers_did_work()
    {
        Skip.If(broker.SkipReason is not null, broker.SkipReason);
        output.WriteLine(broker.Description);

        var clock = Stopwatch.StartNew();
        await using var stack = await RunsStack.StartAsync(broker, output, "distributed", workerProcesses: [WorkerA, WorkerB]);
        output.WriteLine($"Stack started in {clock.Elapsed.TotalSeconds:0.0} s (worker pids {string.Join(", ", stack.WorkerProcesses.Select(w => w.ProcessId))})");
        var api = stack.Api();

        clock.Restart();
        var workflowId = await api.CreateFunctionWorkflowAsync("block_echo", Echo);
        for (var start = 0; start < TestCount; start += 25)
        {
            await Task.WhenAll(Enumerable.Range(start, Math.Min(25, TestCount - start)).Select(i =>
                api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = i }, "v",
                    new JsonObject { ["kind"] = "equals", ["expected"] = i % FailEvery == 0 ? -1 : i })));
        }
        output.WriteLine($"Created {TestCount} tests over HTTP in {clock.Elapsed.TotalSeconds:0.0} s");

        clock.Restart();
        var runId = await api.StartRunAsync(workflowId);
        var run = await api.WaitForTerminalAsync(runId, TimeSpan.FromMinutes(6));
        var runSeconds = clock.Elapsed.TotalSeconds;
        output.WriteLine($"Run {runId} of {TestCount} tests reached '{RunInvariants.Status(run)}' in {runSeconds:0.0} s (from POST to terminal as seen over HTTP)");

        var failing = Enumerable.Range(0, TestCount).Count(i => i % FailEvery == 0);
        Assert.Equal("completed", RunInvariants.Status(run));
        Assert.Equal(TestCount, run["total_tests"]!.GetValue<int>());
        var counts = run["counts"]!;
        Assert.Equal(TestCount - failing, counts["passed"]!.GetValue<int>());
        Assert.Equal(failing, counts["failed"]!.GetValue<int>());
        Assert.Equal(0, counts["blocked"]!.GetValue<int>());
        Assert.Equal(0, counts["error"]!.GetValue<int>());
        Assert.Equal(0, counts["cancelled"]!.GetValue<int>());
        Assert.Equal(0, counts["queued"]!.GetValue<int>());
        Assert.Equal(0, counts["running"]!.GetValue<int>());
        Assert.Equal(TestCount, counts["lifecycle_counts"]!["completed"]!.GetValue<int>());
        Assert.NotNull(run["timing"]!["completed_at"]);

        var rows = await api.AllResultsAsync(runId);
        Assert.Equal(TestCount, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(runId, r["run_id"]!.GetValue<string>());
            Assert.Equal("completed", r["lifecycle"]!["status"]!.GetValue<string>());
        });
        Assert.Equal(TestCount, rows.Select(r => r["test_id"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(TestCount - failing, rows.Count(r => r["verdict"]?.GetValue<string>() == "passed"));
        Assert.Equal(failing, rows.Count(r => r["verdict"]?.GetValue<string>() == "failed"));

        var byWorker = rows.GroupBy(r => r["worker_id"]?.GetValue<string>() ?? "(none)").ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine("Results per worker_id: " + string.Join(", ", byWorker.Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.Equal([WorkerA, WorkerB], byWorker.Keys.Order());
        Assert.All(stack.WorkerProcesses, w => Assert.False(w.HasExited, $"worker {w.Name} died:\n{w.Tail()}"));
    }
}
