using System.Diagnostics;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// One organization runs every hostile function the sandbox knows of, at the same time as another organization's
/// 200-test run on the same host: the hostile tests end blocked with their own codes within their time limits, a
/// normal test in the same run passes, and the other organization's results are all there, all right, once each.
/// </summary>
public sealed class HostileFunctionRunTests : IDisposable
{
    // A script that allocates as it spins may hit the memory limit (block_execution_failed) before the time limit:
    // both are its own bounded end, so either code is right for it.
    private static readonly (string Block, string Code, string FailureCode)[] Hostile =
    [
        ("block_atomics", "function main() { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return 1; }", "block_execution_failed"),
        ("block_regex", "function main() { return /^(a+)+$/.test('a'.repeat(40) + '!'); }", "timeout"),
        ("block_promise", "async function main() { await new Promise(() => {}); }", "timeout"),
        ("block_loop", "function main() { while (true) {} }", "timeout"),
        ("block_stringify", "function main() { let a = []; for (;;) { a = [a]; JSON.stringify(a); } }", "timeout|block_execution_failed"),
        ("block_repeat", "function main() { return 'x'.repeat(5e8).length; }", "block_execution_failed"),
        ("block_huge_output", "function main() { return 'x'.repeat(9e6); }", "output_too_large"),
        ("block_surrogate", "function main() { return { s: 'a\\ud800b' }; }", "output_invalid"),
        ("block_deep_output", "function main() { let a = 1; for (let i = 0; i < 61; i++) a = [a]; return a; }", "output_too_deep"),
    ];

    private readonly StandaloneHost _host = new(settings: new Dictionary<string, string?>
    {
        ["Blocks:Function:TimeoutMs"] = "2000",
        // The endless loop must meet the time limit: on an idle core Jint runs the default 10,000,000 statements in
        // under 2 s, and the loop would end on the statement limit (block_execution_failed) instead.
        ["Blocks:Function:MaxStatements"] = "2000000000",
    });

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Hostile_functions_end_blocked_on_their_own_and_another_organizations_run_is_exact()
    {
        var attacker = _host.Client(StandaloneHost.KeyA);
        var neighbour = _host.Client(StandaloneHost.KeyB);

        var hostileWorkflow = await attacker.CreateWorkflowAsync([.. Hostile.Select(h => (h.Block, h.Code)), ("block_echo", Functions.Echo)]);
        var expectedCodes = new Dictionary<string, string>();
        foreach (var (block, _, failureCode) in Hostile)
            expectedCodes[await attacker.CreateTestAsync(hostileWorkflow, block, new JsonObject { ["i"] = 1 }, null, Functions.Condition("exists"))] = failureCode;
        var normalTest = await attacker.CreateTestAsync(hostileWorkflow, "block_echo", new JsonObject { ["i"] = 7 }, "v", Functions.Condition("equals", 7));

        var neighbourWorkflow = await neighbour.CreateWorkflowAsync(("block_echo", Functions.Echo));
        for (var i = 0; i < 200; i++)
            await neighbour.CreateTestAsync(neighbourWorkflow, "block_echo", new JsonObject { ["i"] = i }, "v", Functions.Condition("equals", i));

        var clock = Stopwatch.StartNew();
        var hostileRun = await attacker.StartRunAsync(hostileWorkflow);
        var neighbourRun = await neighbour.StartRunAsync(neighbourWorkflow);
        var neighbourDone = await neighbour.WaitForTerminalAsync(neighbourRun, TimeSpan.FromMinutes(2));
        var hostileDone = await attacker.WaitForTerminalAsync(hostileRun, TimeSpan.FromMinutes(2));
        clock.Stop();

        Assert.Equal("completed", neighbourDone["lifecycle"]!["status"]!.GetValue<string>());
        Assert.Equal(200, neighbourDone["counts"]!["passed"]!.GetValue<int>());
        var neighbourResults = await neighbour.AllResultsAsync(neighbourRun);
        Assert.Equal(200, neighbourResults.Count);
        Assert.Equal(200, neighbourResults.Select(r => r["test_id"]!.GetValue<string>()).Distinct().Count());
        Assert.All(neighbourResults, r => Assert.Equal("passed", r["verdict"]!.GetValue<string>()));

        Assert.Equal("completed", hostileDone["lifecycle"]!["status"]!.GetValue<string>());
        var rows = (await attacker.AllResultsAsync(hostileRun)).ToDictionary(r => r["test_id"]!.GetValue<string>());
        Assert.Equal(Hostile.Length + 1, rows.Count);
        foreach (var (testId, failureCode) in expectedCodes)
        {
            var row = rows[testId];
            Assert.True(row["verdict"]!.GetValue<string>() == "blocked", row.ToJsonString()[..Math.Min(600, row.ToJsonString().Length)]);
            Assert.Contains(row["assertion_result"]!["failure"]!["code"]!.GetValue<string>(), failureCode.Split('|'));
            // A hostile test ends within its own limit plus the watchdog's grace, never the worker's deadline.
            Assert.True(row["timing"]!["duration_ms"]!.GetValue<long>() < 10_000, row["timing"]!.ToJsonString());
        }
        Assert.Equal("passed", rows[normalTest]["verdict"]!.GetValue<string>());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"both runs took {clock.Elapsed}");
    }
}
