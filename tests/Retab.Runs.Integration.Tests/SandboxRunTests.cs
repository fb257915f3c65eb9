using System.Diagnostics;
using Retab.Runs.Integration.Tests.Infrastructure;

namespace Retab.Runs.Integration.Tests;

/// <summary>
/// A worker process whose every sandbox thread is held by a function that never checks its limits (issue 12): the
/// watchdog answers those tests at the time limit, the next test still passes, and SIGTERM still stops the worker.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class SandboxRunTests(BrokerFixture broker, ITestOutputHelper output)
{
    private const int SandboxThreads = 2;
    private const int TimeoutMs = 2_000;
    private const int StopGraceMs = 1_000;
    private const string BlockId = "block_sandbox";

    /// <summary>One function; its input picks what it does.</summary>
    private const string Code = """
        function main(input) {
          switch (input.mode) {
            case 'regex': return /^(a+)+$/.test('a'.repeat(40) + '!');
            case 'atomics': Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return 'woke';
            case 'loop': for (;;) {}
            default: return { v: input.v * 2 };
          }
        }
        """;

    [SkippableFact]
    public async Task Functions_stuck_on_every_sandbox_thread_end_blocked_the_next_test_passes_and_SIGTERM_stops_the_worker()
    {
        Skip.If(broker.SkipReason is not null, broker.SkipReason);
        await using var stack = await RunsStack.StartAsync(broker, output, "sandbox", workerProcesses: ["it-sandbox-worker"],
            workerSettings: new Dictionary<string, string>
            {
                ["Blocks:Function:SandboxThreads"] = SandboxThreads.ToString(),
                ["Blocks:Function:TimeoutMs"] = TimeoutMs.ToString(),
                ["Blocks:Function:StopGraceMs"] = StopGraceMs.ToString(),
                // Each match may backtrack for a minute: one native call in which Jint checks no limit, as Atomics.wait
                // was before it left the sandbox. One more such test than there are threads.
                ["Blocks:Function:RegexTimeoutMs"] = "60000",
                // The endless loop must meet the time limit: on an idle core Jint runs the default 10,000,000 statements
                // in under the 2 s limit, and the loop would end on the statement limit instead.
                ["Blocks:Function:MaxStatements"] = "2000000000",
            });
        var api = stack.Api();
        // A worker that has served before: compiling Jint's code paths on a cold process takes seconds of CPU, which
        // the stuck functions below would leave it little of.
        var warmUp = await api.CreateFunctionWorkflowAsync(BlockId, Code);
        await api.CreateTestAsync(warmUp, BlockId, new JsonObject { ["mode"] = "normal", ["v"] = 1 }, "v", new JsonObject { ["kind"] = "equals", ["expected"] = 2 });
        Assert.Equal(1, (await api.WaitForTerminalAsync(await api.StartRunAsync(warmUp), TimeSpan.FromMinutes(1)))["counts"]!["passed"]!.GetValue<int>());

        var workflowId = await api.CreateFunctionWorkflowAsync(BlockId, Code);
        var exists = new JsonObject { ["kind"] = "exists" };
        var expectedCodes = new Dictionary<string, string>();
        for (var i = 0; i < SandboxThreads + 1; i++)
            expectedCodes[await api.CreateTestAsync(workflowId, BlockId, new JsonObject { ["mode"] = "regex" }, "v", exists.DeepClone().AsObject())] = "timeout";
        expectedCodes[await api.CreateTestAsync(workflowId, BlockId, new JsonObject { ["mode"] = "atomics" }, "v", exists.DeepClone().AsObject())] = "block_execution_failed";
        expectedCodes[await api.CreateTestAsync(workflowId, BlockId, new JsonObject { ["mode"] = "loop" }, "v", exists.DeepClone().AsObject())] = "timeout";
        var normal = await api.CreateTestAsync(workflowId, BlockId, new JsonObject { ["mode"] = "normal", ["v"] = 21 }, "v",
            new JsonObject { ["kind"] = "equals", ["expected"] = 42 });

        var clock = Stopwatch.StartNew();
        var runId = await api.StartRunAsync(workflowId);
        var run = await api.WaitForTerminalAsync(runId, TimeSpan.FromMinutes(2));
        output.WriteLine($"Run {runId} reached '{RunInvariants.Status(run)}' in {clock.Elapsed.TotalSeconds:0.0} s");

        var rows = (await api.AllResultsAsync(runId)).ToDictionary(r => r["test_id"]!.GetValue<string>());
        foreach (var (testId, row) in rows)
        {
            var failure = row["assertion_result"]!["failure"];
            output.WriteLine($"{testId} ({row["handle_inputs"]!["input-json-0"]!["data"]!["mode"]}): {row["verdict"]} {failure?["code"]} in {row["timing"]!["duration_ms"]} ms {failure?["message"]}");
        }
        Assert.Equal("completed", RunInvariants.Status(run));
        var counts = run["counts"]!;
        Assert.Equal(1, counts["passed"]!.GetValue<int>());
        Assert.Equal(expectedCodes.Count, counts["blocked"]!.GetValue<int>());
        Assert.Equal(0, counts["failed"]!.GetValue<int>());
        Assert.Equal(0, counts["error"]!.GetValue<int>());
        Assert.Equal(0, counts["cancelled"]!.GetValue<int>());
        // Five hostile tests on two threads: at most three rounds of limit + grace, where none would ever end without the watchdog.
        var rounds = (int)Math.Ceiling((expectedCodes.Count + 1) / (double)SandboxThreads);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(rounds * (TimeoutMs + StopGraceMs)) + TimeSpan.FromSeconds(20),
            $"the run took {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal(expectedCodes.Count + 1, rows.Count);
        foreach (var (testId, code) in expectedCodes)
        {
            var row = rows[testId];
            Assert.Equal("blocked", row["verdict"]!.GetValue<string>());
            Assert.Equal(code, row["assertion_result"]!["failure"]!["code"]!.GetValue<string>());
        }
        var passed = rows[normal];
        output.WriteLine($"{normal}: {passed["verdict"]} in {passed["timing"]!["duration_ms"]} ms");
        Assert.Equal("passed", passed["verdict"]!.GetValue<string>());
        Assert.Equal("""{"output-json-0":{"type":"json","data":{"v":42}}}""", passed["handle_outputs"]!.ToJsonString());

        // Three abandoned threads are still backtracking; the worker must stop anyway.
        var worker = stack.WorkerProcesses.Single();
        Assert.False(worker.HasExited, $"the worker died:\n{worker.Tail()}");
        var stopping = Stopwatch.StartNew();
        worker.Terminate();
        Assert.True(await worker.WaitForExitAsync(TimeSpan.FromSeconds(10)), $"the worker did not exit within 10 s of SIGTERM:\n{worker.Tail()}");
        output.WriteLine($"The worker exited {stopping.Elapsed.TotalSeconds:0.0} s after SIGTERM");
    }
}
