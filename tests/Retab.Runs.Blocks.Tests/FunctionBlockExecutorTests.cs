using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Retab.Runs.Blocks;
using Retab.Runs.Core.Execution;

namespace Retab.Runs.Blocks.Tests;

// Warmed first: compiling Jint on a cold, busy machine takes seconds that belong to no test's time limit.
public class FunctionBlockExecutorTests : IClassFixture<WarmSandbox>
{
    /// <summary>No single execution may take longer than this, whatever the script does (2 shared cores: generous).</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private static FunctionBlockExecutor Executor(int timeoutMs = 5_000, long memoryBytes = 64L * 1024 * 1024, int recursionDepth = 256, int maxStatements = 10_000_000) =>
        new(Options.Create(new FunctionBlockLimits
        {
            TimeoutMs = timeoutMs,
            MemoryBytes = memoryBytes,
            RecursionDepth = recursionDepth,
            MaxStatements = maxStatements,
        }));

    private static JsonObject Config(string code, JsonNode? timeoutMs = null)
    {
        var config = new JsonObject { ["code"] = code };
        if (timeoutMs is not null)
            config["timeout_ms"] = timeoutMs;
        return config;
    }

    private static JsonObject Inputs(JsonNode? data) =>
        new() { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = data } };

    private static async Task<BlockExecutionResult> RunAsync(FunctionBlockExecutor executor, string code, JsonNode? input = null, JsonObject? config = null)
    {
        var execution = executor.ExecuteAsync(new BlockRequest("org_test", config ?? Config(code), Inputs(input)), CancellationToken.None);
        var finished = await Task.WhenAny(execution, Task.Delay(HangGuard));
        Assert.True(finished == execution, $"the executor did not return within {HangGuard}");
        return await execution;
    }

    private static JsonNode? Output(BlockExecutionResult result)
    {
        Assert.Null(result.Failure);
        Assert.True(result.Outputs.ContainsKey(FunctionBlockExecutor.OutputHandle), "no output-json-0");
        return result.Outputs[FunctionBlockExecutor.OutputHandle];
    }

    private static string Failure(BlockExecutionResult result)
    {
        Assert.NotNull(result.Failure);
        Assert.False(result.Outputs.ContainsKey(FunctionBlockExecutor.OutputHandle), "a failed block has no output");
        return result.Failure;
    }

    [Fact]
    public void It_executes_function_blocks()
    {
        Assert.Equal("function", Executor().BlockType);
    }

    [Fact]
    public async Task Main_receives_the_data_of_input_json_0_and_its_return_value_is_output_json_0()
    {
        var input = JsonNode.Parse("""{"a": 2, "items": [1, 2, 3], "name": "x"}""");
        var result = await RunAsync(Executor(),
            "function main(input) { return { doubled: input.a * 2, count: input.items.length, name: input.name + '!', nested: { ok: true, nil: null } }; }",
            input);

        Assert.Equal("""{"doubled":4,"count":3,"name":"x!","nested":{"ok":true,"nil":null}}""", Output(result)!.ToJsonString());
    }

    [Theory]
    [InlineData("42", "42")]
    [InlineData("\"text\"", "\"text\"")]
    [InlineData("[1,\"a\",null,true]", "[1,\"a\",null,true]")]
    [InlineData("null", "null")]
    [InlineData("{\"k\":{\"k\":[{}]}}", "{\"k\":{\"k\":[{}]}}")]
    public async Task The_identity_function_returns_its_input(string input, string expected)
    {
        var result = await RunAsync(Executor(), "function main(input) { return input; }", JsonNode.Parse(input));
        Assert.Equal(expected, Output(result)?.ToJsonString() ?? "null");
    }

    [Fact]
    public async Task Main_sees_only_input_json_0_and_not_the_handle_wrapper()
    {
        var result = await RunAsync(Executor(), "function main(input) { return [typeof input, input.type === undefined, input.v]; }", new JsonObject { ["v"] = 7 });
        Assert.Equal("""["object",true,7]""", Output(result)!.ToJsonString());
    }

    [Fact]
    public async Task A_missing_input_handle_reaches_main_as_null()
    {
        var execution = await Executor().ExecuteAsync(new BlockRequest("org_test", Config("function main(input) { return input === null; }"), new JsonObject()), CancellationToken.None);
        Assert.Equal("true", Output(execution)!.ToJsonString());
    }

    [Fact]
    public async Task An_async_main_is_awaited()
    {
        var result = await RunAsync(Executor(),
            "async function main(input) { const v = await Promise.resolve(input.n + 1); return { v }; }",
            new JsonObject { ["n"] = 41 });
        Assert.Equal("""{"v":42}""", Output(result)!.ToJsonString());
    }

    [Fact]
    public async Task A_main_returning_a_promise_is_awaited()
    {
        var result = await RunAsync(Executor(), "function main(input) { return new Promise(resolve => resolve('done')); }");
        Assert.Equal("\"done\"", Output(result)!.ToJsonString());
    }

    [Fact]
    public async Task An_async_main_that_throws_is_a_failure_with_the_message()
    {
        var result = await RunAsync(Executor(), "async function main() { throw new Error('async boom'); }");
        Assert.Contains("async boom", Failure(result));
    }

    [Fact]
    public async Task Returning_undefined_gives_a_null_output()
    {
        var result = await RunAsync(Executor(), "function main(input) { }");
        Assert.Null(result.Failure);
        Assert.True(result.Outputs.ContainsKey(FunctionBlockExecutor.OutputHandle));
        Assert.Null(result.Outputs[FunctionBlockExecutor.OutputHandle]);
    }

    [Fact]
    public async Task Throwing_is_a_failure_that_carries_the_message()
    {
        var result = await RunAsync(Executor(), "function main(input) { throw new Error('boom'); }");
        Assert.Contains("boom", Failure(result));
    }

    [Fact]
    public async Task Throwing_a_non_error_value_is_a_failure()
    {
        var result = await RunAsync(Executor(), "function main(input) { throw 'plain string boom'; }");
        Assert.Contains("plain string boom", Failure(result));
    }

    [Fact]
    public async Task An_infinite_loop_ends_with_a_time_limit_failure()
    {
        var stopwatch = Stopwatch.StartNew();
        var result = await RunAsync(Executor(timeoutMs: 200), "function main(input) { while (true) {} }");
        stopwatch.Stop();

        var failure = Failure(result);
        Assert.Contains("200 ms", failure);
        Assert.Contains("limit", failure);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task An_infinite_loop_at_the_top_level_ends_with_a_time_limit_failure()
    {
        var result = await RunAsync(Executor(timeoutMs: 200), "for (;;) { } function main() { return 1; }");
        Assert.Contains("200 ms", Failure(result));
    }

    [Fact]
    public async Task A_memory_bomb_ends_with_a_memory_failure()
    {
        var result = await RunAsync(Executor(timeoutMs: 30_000, memoryBytes: 8L * 1024 * 1024, maxStatements: int.MaxValue),
            "function main() { const a = []; let s = 'xxxxxxxxxxxxxxxx'; while (true) { a.push(s + a.length); if (s.length < 100000) s = s + s; } }");

        var failure = Failure(result);
        Assert.Contains("MiB", failure);
        Assert.Contains("8", failure);
    }

    [Fact]
    public async Task Deep_recursion_ends_with_a_recursion_failure()
    {
        var result = await RunAsync(Executor(recursionDepth: 64), "function f(n) { return f(n + 1) + 1; } function main() { return f(0); }");

        var failure = Failure(result);
        Assert.Contains("recursed", failure);
        Assert.Contains("64", failure);
    }

    [Fact]
    public async Task Recursion_within_the_limit_works()
    {
        var result = await RunAsync(Executor(recursionDepth: 64), "function f(n) { return n === 0 ? 0 : 1 + f(n - 1); } function main() { return f(30); }");
        Assert.Equal("30", Output(result)!.ToJsonString());
    }

    [Fact]
    public async Task Too_many_statements_end_with_a_statement_limit_failure()
    {
        var result = await RunAsync(Executor(maxStatements: 1_000), "function main() { let n = 0; for (let i = 0; i < 100000; i++) { n += i; } return n; }");

        var failure = Failure(result);
        Assert.Contains("statements", failure);
        Assert.Contains("1000", failure);
    }

    [Fact]
    public async Task A_loop_within_the_statement_limit_works()
    {
        var result = await RunAsync(Executor(maxStatements: 1_000_000), "function main() { let n = 0; for (let i = 0; i < 1000; i++) { n += i; } return n; }");
        Assert.Equal("499500", Output(result)!.ToJsonString());
    }

    [Fact]
    public async Task The_sandbox_exposes_no_clr_module_or_network_api()
    {
        var result = await RunAsync(Executor(), """
            function main() {
              return {
                System: typeof System,
                importNamespace: typeof importNamespace,
                clrHelper: typeof clrHelper,
                require: typeof require,
                fetch: typeof fetch,
                XMLHttpRequest: typeof XMLHttpRequest,
                process: typeof process,
                host: typeof host,
                setTimeout: typeof setTimeout,
              };
            }
            """);

        var output = Output(result)!.AsObject();
        Assert.Equal(9, output.Count);
        Assert.All(output, p => Assert.True(p.Value!.GetValue<string>() == "undefined", $"{p.Key} is {p.Value}"));
    }

    [Theory]
    [InlineData("System.IO.File.ReadAllText('/etc/passwd')")]
    [InlineData("importNamespace('System.IO')")]
    [InlineData("require('fs')")]
    [InlineData("fetch('http://127.0.0.1/')")]
    public async Task Reaching_for_the_host_is_a_failure(string expression)
    {
        var result = await RunAsync(Executor(), $"function main() {{ return {expression}; }}");
        Assert.Contains("not defined", Failure(result));
    }

    [Fact]
    public async Task Code_without_main_is_a_failure()
    {
        var result = await RunAsync(Executor(), "function notMain(input) { return 1; }");
        Assert.Contains("main", Failure(result));
    }

    [Fact]
    public async Task A_main_that_is_not_a_function_is_a_failure()
    {
        var result = await RunAsync(Executor(), "var main = 42;");
        Assert.Contains("main", Failure(result));
    }

    [Theory]
    [InlineData("function main(input) { return ; ")]
    [InlineData("function main(input) { return }}")]
    [InlineData("this is not javascript")]
    public async Task A_syntax_error_is_a_failure(string code)
    {
        var result = await RunAsync(Executor(), code);
        Assert.False(string.IsNullOrWhiteSpace(Failure(result)));
    }

    [Fact]
    public async Task A_config_without_code_is_a_failure()
    {
        var result = await Executor().ExecuteAsync(new BlockRequest("org_test", new JsonObject { ["timeout_ms"] = 100 }, Inputs(1)), CancellationToken.None);
        Assert.Contains("code", Failure(result));
    }

    [Fact]
    public async Task A_block_timeout_lowers_the_limit()
    {
        var stopwatch = Stopwatch.StartNew();
        var result = await RunAsync(Executor(timeoutMs: 30_000), "", config: Config("function main() { while (true) {} }", 150));
        stopwatch.Stop();

        Assert.Contains("150 ms", Failure(result));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}; the 30 s ceiling was used instead of timeout_ms");
    }

    [Fact]
    public async Task A_block_timeout_given_as_parsed_json_lowers_the_limit()
    {
        var config = JsonNode.Parse("""{"code": "function main() { while (true) {} }", "timeout_ms": 150}""")!.AsObject();
        var result = await RunAsync(Executor(timeoutMs: 30_000), "", config: config);
        Assert.Contains("150 ms", Failure(result));
    }

    [Fact]
    public async Task A_block_timeout_cannot_raise_the_limit()
    {
        var stopwatch = Stopwatch.StartNew();
        var result = await RunAsync(Executor(timeoutMs: 300), "", config: Config("function main() { while (true) {} }", 600_000));
        stopwatch.Stop();

        Assert.Contains("300 ms", Failure(result));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"took {stopwatch.Elapsed}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task A_non_positive_block_timeout_falls_back_to_the_limit(int timeoutMs)
    {
        var result = await RunAsync(Executor(timeoutMs: 250), "", config: Config("function main() { while (true) {} }", timeoutMs));
        Assert.Contains("250 ms", Failure(result));
    }

    [Fact]
    public async Task After_a_timeout_the_same_executor_serves_the_next_request()
    {
        var executor = Executor(timeoutMs: 200);

        Assert.Contains("200 ms", Failure(await RunAsync(executor, "function main() { while (true) {} }")));
        Assert.Equal("""{"ok":2}""", Output(await RunAsync(executor, "function main(i) { return { ok: i + 1 }; }", 1))!.ToJsonString());
        Assert.Contains("boom", Failure(await RunAsync(executor, "function main() { throw new Error('boom'); }")));
        Assert.Equal("3", Output(await RunAsync(executor, "function main(i) { return i * 3; }", 1))!.ToJsonString());
    }

    [Fact]
    public async Task After_a_memory_failure_the_same_executor_serves_the_next_request()
    {
        var executor = Executor(timeoutMs: 30_000, memoryBytes: 8L * 1024 * 1024, maxStatements: int.MaxValue);

        Failure(await RunAsync(executor, "function main() { const a = []; while (true) a.push('y'.repeat(10000) + a.length); }"));
        Assert.Equal("\"fine\"", Output(await RunAsync(executor, "function main() { return 'fine'; }"))!.ToJsonString());
    }

    [Fact]
    public async Task Executions_do_not_share_global_state()
    {
        var executor = Executor();
        await RunAsync(executor, "var leaked = 'secret'; globalThis.alsoLeaked = 1; function main() { return 1; }");

        var result = await RunAsync(executor, "function main() { return [typeof leaked, typeof alsoLeaked]; }");

        Assert.Equal("""["undefined","undefined"]""", Output(result)!.ToJsonString());
    }

    [Fact]
    public async Task Concurrent_executions_on_one_executor_are_independent()
    {
        var executor = Executor();
        var runs = Enumerable.Range(0, 16).Select(i =>
            RunAsync(executor, "function main(i) { let s = 0; for (let k = 0; k <= i; k++) s += k; return s; }", i)).ToArray();

        var results = await Task.WhenAll(runs);

        for (var i = 0; i < results.Length; i++)
            Assert.Equal((i * (i + 1) / 2).ToString(), Output(results[i])!.ToJsonString());
    }

    [Fact]
    public async Task Unicode_and_large_numbers_survive_the_trip_through_javascript()
    {
        var result = await RunAsync(Executor(), "function main(i) { return { s: i.s + '✓', n: i.n }; }",
            JsonNode.Parse("""{"s": "héllo 日本 🚀", "n": 9007199254740991}"""));

        var output = Output(result)!;
        Assert.Equal("héllo 日本 🚀✓", output["s"]!.GetValue<string>());
        Assert.Equal(9007199254740991L, output["n"]!.GetValue<long>());
    }
}
