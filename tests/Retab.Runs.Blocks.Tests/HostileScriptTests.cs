using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Execution;
using Retab.Runs.Core.Limits;

namespace Retab.Runs.Blocks.Tests;

/// <summary>
/// Scripts that try to hold a sandbox thread past every limit, or to hand the worker more than it may send (issue 12).
/// Each must end blocked with its own failure code within its time limit plus a small margin, whatever it does
/// inside a single statement. The bounds are generous for a shared two-core machine: they are bounds, not benchmarks.
/// </summary>
[Collection(SandboxTimingCollection.Name)]
public class HostileScriptTests(WarmSandbox warm)
{
    private const int LimitMs = 2_000;

    /// <summary>The time limit, the watchdog's grace and room for a busy machine.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(LimitMs) + TimeSpan.FromSeconds(2);

    private static FunctionBlockExecutor Executor(int maxJsonDepth = 48, int maxStatements = 10_000_000, long memoryBytes = 64 * 1024 * 1024) => new(
        Options.Create(new FunctionBlockLimits { TimeoutMs = LimitMs, MaxStatements = maxStatements, MemoryBytes = memoryBytes }),
        Options.Create(new ServiceLimits { MaxJsonDepth = maxJsonDepth }));

    private static async Task<(BlockExecutionResult Result, TimeSpan Elapsed)> RunAsync(FunctionBlockExecutor executor, string code, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var execution = executor.ExecuteAsync(new BlockRequest("org_test", new JsonObject { ["code"] = code }, new JsonObject()), cancellationToken);
        var finished = await Task.WhenAny(execution, Task.Delay(TimeSpan.FromSeconds(60), CancellationToken.None));
        Assert.True(finished == execution, "the executor did not return within 60 s");
        return (await execution, clock.Elapsed);
    }

    /// <summary>The failure code the test ends with: the block's own, else the generic one TestExecution uses.</summary>
    private static string CodeOf(BlockExecutionResult result) => result.FailureCode ?? TestExecution.BlockExecutionFailed;

    public static TheoryData<string, string, string, string> Scripts => new()
    {
        {
            "Atomics.wait forever: shared memory is gone, so it fails at once",
            "function main() { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return 1; }",
            TestExecution.BlockExecutionFailed, "Atomics is not defined"
        },
        {
            "Atomics.wait for 15 s",
            "function main() { const a = new Int32Array(4); Atomics.wait(a, 0, 0, 15000); return 'waited'; }",
            TestExecution.BlockExecutionFailed, "Atomics is not defined"
        },
        {
            "a catastrophic regular expression",
            "function main() { return /^(a+)+$/.test('a'.repeat(40) + '!'); }",
            "timeout", "regular expression ran longer than its 1000 ms"
        },
        {
            "a promise that never settles",
            "async function main() { await new Promise(() => {}); return 'settled'; }",
            "timeout", $"{LimitMs} ms limit"
        },
        {
            "one statement allocating 1 GB",
            "function main() { const s = 'x'.repeat(5e8); return s.length; }",
            TestExecution.BlockExecutionFailed, "more than 64 MiB"
        },
        {
            "returning 9 MB",
            "function main() { return 'x'.repeat(9e6); }",
            "output_too_large", "Limits:MaxOutputBytes"
        },
        {
            "returning a value that shares one 1 MB string 8 times",
            "function main() { const s = 'y'.repeat(1e6); return [s, s, s, s, s, s, s, s]; }",
            "output_too_large", "4194304 bytes"
        },
        {
            "returning a 2^40-node tree built from 40 shared arrays",
            "function main() { let a = [1]; for (let i = 0; i < 40; i++) a = [a, a]; return a; }",
            "output_too_large", "Limits:MaxOutputBytes"
        },
        {
            "returning a value nested 60 deep",
            "function main() { let a = {}; for (let i = 1; i < 60; i++) a = { a }; return a; }",
            "output_too_deep", "Limits:MaxJsonDepth"
        },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task A_hostile_script_ends_blocked_with_its_code_within_its_limit(string what, string code, string expectedCode, string expectedMessage)
    {
        Assert.Equal("""{"v":true,"s":"xxx","a":[1,2.5,null]}""", warm.Output);
        using var executor = Executor();

        var (result, elapsed) = await RunAsync(executor, code);

        Assert.True(result.Failure is not null, $"{what}: expected a failure, got {result.Outputs.GetValueOrDefault(FunctionBlockExecutor.OutputHandle)?.ToJsonString()}");
        Assert.True(expectedCode == CodeOf(result), $"{what}: expected {expectedCode}, got {CodeOf(result)}: {result.Failure}");
        Assert.Contains(expectedMessage, result.Failure);
        Assert.True(elapsed < Bound, $"{what}: took {elapsed.TotalSeconds:0.0} s, more than {Bound.TotalSeconds:0.0} s");
        Assert.Equal(0, executor.AbandonedThreadsStillRunning);
    }

    [Fact]
    public async Task Functions_stuck_on_every_sandbox_thread_do_not_hold_back_the_next_one()
    {
        // With a 5 s match timeout, this regular expression holds its thread in one native call, where Jint checks no
        // limit, for ten times the function's time limit: stuck, as far as the time limit can tell.
        using var executor = new FunctionBlockExecutor(Options.Create(new FunctionBlockLimits
        {
            TimeoutMs = 500,
            StopGraceMs = 300,
            RegexTimeoutMs = 5_000,
            SandboxThreads = 2,
        }));
        const string stuck = "function main() { return /^(a+)+$/.test('a'.repeat(40) + '!'); }";
        const string sixTimesSeven = "function main() { return 6 * 7; }";
        var answeredBy = TimeSpan.FromMilliseconds(500 + 300) + TimeSpan.FromSeconds(1.5);
        // Once first, so that compiling Jint's code paths (over a second on a cold process) is not part of the 500 ms.
        Assert.Null((await RunAsync(executor, sixTimesSeven)).Result.Failure);

        var stuckRuns = Enumerable.Range(0, 3).Select(_ => RunAsync(executor, stuck)).ToArray();
        var normal = RunAsync(executor, sixTimesSeven);

        var (result, elapsed) = await normal;
        Assert.True(result.Failure is null, result.Failure);
        Assert.Equal("42", result.Outputs[FunctionBlockExecutor.OutputHandle]!.ToJsonString());
        Assert.True(elapsed < answeredBy, $"the normal function ended after {elapsed.TotalSeconds:0.0} s: it waited for a stuck one");
        for (var i = 0; i < stuckRuns.Length; i++)
        {
            var (stuckResult, stuckElapsed) = await stuckRuns[i];
            Assert.Equal("timeout", stuckResult.FailureCode);
            Assert.Contains("500 ms limit", stuckResult.Failure);
            // The third waited for a thread: the watchdog freed one after the first round.
            Assert.True(stuckElapsed < answeredBy + TimeSpan.FromMilliseconds(800), $"stuck function {i} ended after {stuckElapsed.TotalSeconds:0.0} s");
        }
        Assert.Equal(3, executor.AbandonedThreadsStillRunning);

        // Each abandoned thread ends when its match gives up, and takes no more work.
        var clock = Stopwatch.StartNew();
        while (executor.AbandonedThreadsStillRunning > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{executor.AbandonedThreadsStillRunning} abandoned threads still run after 30 s");
            await Task.Delay(100);
        }
        Assert.Equal("\"after\"", (await RunAsync(executor, "function main() { return 'after'; }")).Result.Outputs[FunctionBlockExecutor.OutputHandle]!.ToJsonString());
    }

    [Fact]
    public async Task Top_level_code_and_main_share_one_time_budget()
    {
        // Spinning on the clock is millions of statements, and Jint counts every number Date.now() returns as allocated.
        using var executor = Executor(maxStatements: int.MaxValue - 1, memoryBytes: 4L * 1024 * 1024 * 1024);

        // Jint's own timeout restarts at each entry into the engine: this used to run for 1.9 s + 2 s.
        var (result, elapsed) = await RunAsync(executor, "const start = Date.now(); while (Date.now() - start < 1900) {} function main() { for (;;) {} }");

        Assert.Equal("timeout", result.FailureCode);
        Assert.True(elapsed < TimeSpan.FromMilliseconds(LimitMs + 1_500), $"took {elapsed.TotalSeconds:0.0} s");
    }

    [Theory]
    [InlineData(48, true)]
    [InlineData(49, false)]
    public async Task Outputs_may_nest_exactly_as_deep_as_the_limit(int levels, bool fits)
    {
        using var executor = Executor(maxJsonDepth: 48);

        var (result, _) = await RunAsync(executor, $"function main() {{ let a = []; for (let i = 1; i < {levels}; i++) a = [a]; return a; }}");

        if (fits)
            Assert.Equal(levels * 2, result.Outputs[FunctionBlockExecutor.OutputHandle]!.ToJsonString().Length);
        else
            Assert.Equal("output_too_deep", result.FailureCode);
    }

    [Fact]
    public async Task An_output_just_under_the_size_limit_is_kept_whole()
    {
        using var executor = new FunctionBlockExecutor(Options.Create(new FunctionBlockLimits()), Options.Create(new ServiceLimits { MaxOutputBytes = 1000 }));

        // 998 characters and two quotes: exactly 1000 bytes; one more is over.
        var (fits, _) = await RunAsync(executor, "function main() { return 'é'.repeat(10) + 'x'.repeat(978); }");
        var (over, _) = await RunAsync(executor, "function main() { return 'é'.repeat(10) + 'x'.repeat(979); }");

        Assert.Null(fits.Failure);
        Assert.Equal(988, fits.Outputs[FunctionBlockExecutor.OutputHandle]!.GetValue<string>().Length);
        Assert.Equal("output_too_large", over.FailureCode);
    }

    [Fact]
    public async Task The_sandbox_has_no_shared_memory_or_atomics()
    {
        using var executor = Executor();

        var (result, _) = await RunAsync(executor, "function main() { return [typeof Atomics, typeof SharedArrayBuffer, typeof ArrayBuffer, 'ab'.repeat(3)]; }");

        Assert.Equal("""["undefined","undefined","function","ababab"]""", result.Outputs[FunctionBlockExecutor.OutputHandle]!.ToJsonString());
    }

    [Theory]
    [InlineData("'ab'.repeat(0)", "\"\"")]
    [InlineData("'ab'.repeat(2.9)", "\"abab\"")]
    [InlineData("String.prototype.repeat.call(12, 2)", "\"1212\"")]
    [InlineData("(() => { try { 'a'.repeat(-1); } catch (e) { return e instanceof RangeError; } })()", "true")]
    [InlineData("(() => { try { 'ab'.repeat(Infinity); } catch (e) { return e instanceof RangeError; } })()", "true")]
    [InlineData("(() => { try { 'ab'.repeat(3e8); } catch (e) { return e instanceof RangeError; } })()", "true")]
    [InlineData("String.prototype.repeat.length", "1")]
    public async Task Repeat_still_behaves_as_the_language_says(string expression, string expected)
    {
        using var executor = Executor();
        var (result, _) = await RunAsync(executor, $"function main() {{ return {expression}; }}");
        Assert.True(result.Failure is null, result.Failure);
        Assert.Equal(expected, result.Outputs[FunctionBlockExecutor.OutputHandle]!.ToJsonString());
    }

    [Fact]
    public async Task JSON_stringify_of_a_deep_array_in_a_loop_ends_at_the_limit_in_a_child_process()
    {
        // Deep native recursion on every call: run where a stack overflow would only fail this test.
        var outcome = await IsolatedRunner.RunAsync(
            "const deep = (() => { let a = []; for (let i = 0; i < 100000; i++) a = [a]; return a; })();" +
            "const start = Date.now(); while (Date.now() - start < 3000) JSON.stringify(deep);" +
            "function main() { for (;;) JSON.stringify(deep); }",
            TimeSpan.FromMinutes(2));

        Assert.True(outcome.ExitCode == 0, outcome.Describe());
        Assert.Equal("timeout", outcome.Report["code"]?.GetValue<string>());
        var elapsed = TimeSpan.FromMilliseconds(outcome.Report["elapsed_ms"]!.GetValue<long>());
        var bound = TimeSpan.FromMilliseconds(new FunctionBlockLimits().TimeoutMs) + TimeSpan.FromSeconds(2);
        Assert.True(elapsed < bound, $"took {elapsed.TotalSeconds:0.0} s with the default limits, more than {bound.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task Cancelling_a_running_function_ends_it_at_once_as_cancelled()
    {
        using var executor = Executor();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => executor.ExecuteAsync(
            new BlockRequest("org_test", new JsonObject { ["code"] = "function main() { for (;;) {} }" }, new JsonObject()), cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"took {clock.Elapsed.TotalSeconds:0.0} s to end after cancellation at 0.3 s");
        Assert.Equal("\"next\"", (await RunAsync(executor, "function main() { return 'next'; }")).Result.Outputs[FunctionBlockExecutor.OutputHandle]!.ToJsonString());
    }
}
