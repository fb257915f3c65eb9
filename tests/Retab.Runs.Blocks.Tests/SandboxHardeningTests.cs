using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Execution;

namespace Retab.Runs.Blocks.Tests;

/// <summary>
/// Hostile scripts that go beyond the four configured limits (time, memory, recursion, statements): each must end
/// as a result of the user's block — a failure, or the correct output where the sandbox can afford it — never as an
/// exception or a dead process (DESIGN §7: "the worker keeps serving").
/// </summary>
public class SandboxHardeningTests
{
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(2);

    private static string Nested(string open, string inner, string close, int depth) =>
        string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));

    [Fact]
    public async Task The_isolated_runner_reports_outputs_and_failures()
    {
        var ok = await IsolatedRunner.RunAsync("function main() { return { v: 1 }; }", ChildTimeout);
        Assert.True(ok.ExitCode == 0, ok.Describe());
        Assert.Equal("""{"v":1}""", ok.Report["output"]!.ToJsonString());
        Assert.Null(ok.Report["failure"]);

        var failed = await IsolatedRunner.RunAsync("function main() { throw new Error('boom'); }", ChildTimeout);
        Assert.True(failed.ExitCode == 0, failed.Describe());
        Assert.Contains("boom", failed.Report["failure"]!.GetValue<string>());
    }

    // Each of these builds a value nested 100 000 levels deep within the default limits (a few hundred thousand
    // statements, a few MiB) and then makes Jint walk it with native recursion that no configured limit counts.
    // Returned values deeper than 64 levels are refused; work inside the script may succeed on the sandbox's
    // large stack, and then its output must be right. A null expected output means a failure is required.
    [Theory]
    [InlineData("returning it", "function main() { let a = []; for (let i = 0; i < 100000; i++) a = [a]; return a; }", null)]
    [InlineData("returning a deep object", "function main() { let a = {}; for (let i = 0; i < 100000; i++) a = { a }; return a; }", null)]
    [InlineData("String() on it", "function main() { let a = []; for (let i = 0; i < 100000; i++) a = [a]; return String(a).length; }", "0")]
    [InlineData("JSON.stringify on it", "function main() { let a = []; for (let i = 0; i < 100000; i++) a = [a]; return JSON.stringify(a).length; }", "200002")]
    public async Task A_deeply_nested_value_is_a_block_result_not_a_dead_worker(string what, string code, string? expectedOutput)
    {
        var outcome = await IsolatedRunner.RunAsync(code, ChildTimeout);

        Assert.True(outcome.ExitCode == 0, $"{what}: the process running the block died — {outcome.Describe()}");
        var failure = outcome.Report["failure"]?.GetValue<string>();
        if (expectedOutput is null || failure is not null)
            Assert.False(string.IsNullOrEmpty(failure), $"{what}: expected a failure, got {outcome.Stdout}");
        else
            Assert.Equal(expectedOutput, outcome.Report["output"]!.ToJsonString());
    }

    [Theory]
    [InlineData("(", "1", ")")]
    [InlineData("[", "", "]")]
    public async Task Deeply_nested_source_code_is_a_result_not_an_exception(string open, string inner, string close)
    {
        using var executor = new FunctionBlockExecutor(Options.Create(new FunctionBlockLimits()));
        var code = $"var x = {Nested(open, inner, close, 100_000)}; function main() {{ return 1; }}";

        BlockExecutionResult? execution = null;
        var thrown = await Record.ExceptionAsync(async () =>
            execution = await executor.ExecuteAsync(new BlockRequest("org_test", new JsonObject { ["code"] = code }, new JsonObject()), CancellationToken.None));

        Assert.True(thrown is null, $"ExecuteAsync threw instead of reporting a result: {thrown}");
        AssertFailureOrOutput(execution!, "1");
    }

    [Fact]
    public async Task Deeply_nested_code_passed_to_eval_is_a_result_not_an_exception()
    {
        using var executor = new FunctionBlockExecutor(Options.Create(new FunctionBlockLimits()));
        var code = "function main() { return eval('('.repeat(100000) + '1' + ')'.repeat(100000)); }";

        BlockExecutionResult? execution = null;
        var thrown = await Record.ExceptionAsync(async () =>
            execution = await executor.ExecuteAsync(new BlockRequest("org_test", new JsonObject { ["code"] = code }, new JsonObject()), CancellationToken.None));

        Assert.True(thrown is null, $"ExecuteAsync threw instead of reporting a result: {thrown?.GetType().Name}: {thrown?.Message}");
        AssertFailureOrOutput(execution!, "1");
    }

    private static void AssertFailureOrOutput(BlockExecutionResult execution, string expectedOutput)
    {
        if (execution.Failure is null)
            Assert.Equal(expectedOutput, execution.Outputs[FunctionBlockExecutor.OutputHandle]!.ToJsonString());
        else
            Assert.NotEmpty(execution.Failure);
    }

    [Fact]
    public async Task A_promise_that_never_settles_is_a_failure()
    {
        using var executor = new FunctionBlockExecutor(Options.Create(new FunctionBlockLimits { TimeoutMs = 500 }));
        var execution = await executor.ExecuteAsync(new BlockRequest("org_test", new JsonObject { ["code"] = "function main() { return new Promise(() => {}); }" }, new JsonObject()), CancellationToken.None);
        Assert.NotNull(execution.Failure);
    }

    [Theory]
    [InlineData("function main() { return () => 1; }")]
    [InlineData("function main() { return 10n; }")]
    [InlineData("function main() { const a = {}; a.self = a; return a; }")]
    [InlineData("function main() { let a = {}; for (let i = 0; i < 100; i++) a = { a }; return a; }")]
    public async Task Outputs_that_are_not_json_are_failures(string code)
    {
        using var executor = new FunctionBlockExecutor(Options.Create(new FunctionBlockLimits()));
        var execution = await executor.ExecuteAsync(new BlockRequest("org_test", new JsonObject { ["code"] = code }, new JsonObject()), CancellationToken.None);
        Assert.NotNull(execution.Failure);
    }
}
