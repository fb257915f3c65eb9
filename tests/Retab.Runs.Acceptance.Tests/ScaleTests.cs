using System.Diagnostics;
using Xunit.Abstractions;

namespace Retab.Runs.Acceptance.Tests;

public sealed class ScaleTests(ITestOutputHelper output) : IDisposable
{
    private const int TestsPerRun = 1000;
    private readonly StandaloneHost _host = new();

    [Fact]
    public async Task Two_concurrent_runs_of_1000_tests_complete_with_exact_counts_and_do_not_bleed()
    {
        var api = _host.Client();
        var first = await CreateWorkflowWithTestsAsync(api, failEvery: 7);
        var second = await CreateWorkflowWithTestsAsync(api, failEvery: 3);

        var clock = Stopwatch.StartNew();
        var runs = await Task.WhenAll(api.StartRunAsync(first), api.StartRunAsync(second));
        var finished = await Task.WhenAll(runs.Select(id => api.WaitForTerminalAsync(id, TimeSpan.FromMinutes(5))));
        output.WriteLine($"Two concurrent runs of {TestsPerRun} tests completed in {clock.Elapsed.TotalSeconds:0.0} s");

        AssertRun(finished[0], failEvery: 7);
        AssertRun(finished[1], failEvery: 3);
        foreach (var runId in runs)
        {
            var rows = await api.AllResultsAsync(runId);
            Assert.Equal(TestsPerRun, rows.Count);
            Assert.All(rows, r => Assert.Equal(runId, r["run_id"]!.GetValue<string>()));
            Assert.Equal(TestsPerRun, rows.Select(r => r["test_id"]!.GetValue<string>()).Distinct().Count());
        }
    }

    private static void AssertRun(JsonNode run, int failEvery)
    {
        var failing = Enumerable.Range(0, TestsPerRun).Count(i => i % failEvery == 0);
        Assert.Equal("completed", RunInvariants.Status(run));
        Assert.Equal(TestsPerRun, run["total_tests"]!.GetValue<int>());
        Assert.Equal(TestsPerRun - failing, run["counts"]!["passed"]!.GetValue<int>());
        Assert.Equal(failing, run["counts"]!["failed"]!.GetValue<int>());
        Assert.Equal(0, run["counts"]!["blocked"]!.GetValue<int>());
    }

    /// <summary>Tests echo their index; every <paramref name="failEvery"/>-th one expects the wrong value.</summary>
    private static async Task<string> CreateWorkflowWithTestsAsync(ApiClient api, int failEvery)
    {
        var workflowId = await api.CreateWorkflowAsync(("block_echo", Functions.Echo));
        for (var start = 0; start < TestsPerRun; start += 50)
        {
            await Task.WhenAll(Enumerable.Range(start, 50).Select(i =>
                api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = i }, "v",
                    Functions.Condition("equals", i % failEvery == 0 ? -1 : i))));
        }
        return workflowId;
    }

    public void Dispose() => _host.Dispose();
}
