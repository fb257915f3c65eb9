using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Execution;

namespace Retab.Runs.Blocks.Tests;

/// <summary>
/// Tests that bound how long the sandbox takes run alone, after the others: on a two-core machine the hardening tests'
/// child processes (or the stuck functions of another test) would take the CPU a time limit is measured against.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SandboxTimingCollection : ICollectionFixture<WarmSandbox>
{
    public const string Name = "sandbox timing";
}

/// <summary>
/// Runs one function through every path the timed tests take (parse, engine, regex, promise, output walk) before they
/// start: compiling Jint's code the first time takes seconds here, and belongs to no test's time limit.
/// </summary>
public sealed class WarmSandbox
{
    public WarmSandbox()
    {
        using var executor = new FunctionBlockExecutor(Options.Create(new FunctionBlockLimits { TimeoutMs = 60_000 }));
        const string code = "async function main() { const v = await Promise.resolve(/^(a+)+$/.test('aa')); return { v, s: 'x'.repeat(3), a: [1, 2.5, null] }; }";
        var result = executor.ExecuteAsync(new BlockRequest("org_test", new JsonObject { ["code"] = code }, new JsonObject()), CancellationToken.None).GetAwaiter().GetResult();
        Output = result.Outputs[FunctionBlockExecutor.OutputHandle]?.ToJsonString();
    }

    /// <summary>What the warm-up function returned, so that a broken sandbox shows here first.</summary>
    public string? Output { get; }
}
