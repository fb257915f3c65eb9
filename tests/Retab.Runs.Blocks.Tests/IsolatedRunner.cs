using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Execution;

namespace Retab.Runs.Blocks.Tests;

/// <summary>
/// Runs one function block in a child process (this test assembly started with <see cref="Verb"/>), so a script
/// that kills the process (a stack overflow cannot be caught in .NET) fails its test instead of aborting the
/// whole test run. The child reads the code on stdin and writes <c>{"failure": …, "code": …, "output": …, "elapsed_ms": …}</c>
/// on stdout (<c>code</c>: the block's own failure code, when it has one; <c>elapsed_ms</c>: how long the executor took).
/// </summary>
public static class IsolatedRunner
{
    public const string Verb = "--run-function-block";

    public static int Main(string[] args)
    {
        if (args is not [Verb, ..])
            return 0;
        var code = Console.In.ReadToEnd();
        using var executor = new FunctionBlockExecutor(Options.Create(new FunctionBlockLimits())); // production defaults
        // As a worker does before it takes tests: a cold process compiles Jint for seconds, which the time limit must not count.
        executor.WarmUpAsync(CancellationToken.None).GetAwaiter().GetResult();
        var clock = Stopwatch.StartNew();
        var result = executor.ExecuteAsync(new BlockRequest("org_test", new JsonObject { ["code"] = code }, new JsonObject()), CancellationToken.None).GetAwaiter().GetResult();
        var report = new JsonObject
        {
            ["failure"] = result.Failure,
            ["code"] = result.FailureCode,
            ["elapsed_ms"] = clock.ElapsedMilliseconds,
            ["output"] = result.Outputs.TryGetValue(FunctionBlockExecutor.OutputHandle, out var output) ? output?.DeepClone() : null,
        };
        Console.Out.Write(report.ToJsonString());
        return 0;
    }

    public sealed record Outcome(int ExitCode, string Stdout, string Stderr)
    {
        public JsonObject Report => JsonNode.Parse(Stdout)?.AsObject() ?? throw new InvalidDataException("empty report");

        /// <summary>What went wrong in the child, for assertion messages.</summary>
        public string Describe() =>
            $"exit code {ExitCode}; stderr: {string.Join(" | ", Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(4))}";
    }

    public static async Task<Outcome> RunAsync(string code, TimeSpan timeout)
    {
        var assembly = typeof(IsolatedRunner).Assembly.Location;
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Under `dotnet test` the host is dotnet(.exe); start the test assembly with it.
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add(Verb);
        if (!Path.GetFileNameWithoutExtension(start.FileName).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.FileName = "dotnet";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the child process");
        await process.StandardInput.WriteAsync(code);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the child process did not finish within {timeout}");
        }
        return new Outcome(process.ExitCode, await stdout, await stderr);
    }
}
