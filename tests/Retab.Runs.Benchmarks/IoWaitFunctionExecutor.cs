using System.Text.Json.Nodes;
using Retab.Runs.Core.Execution;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Benchmarks;

/// <summary>
/// The concurrency scenario's block: 100 ms of I/O wait (a model call, say), then the same output the echo function
/// would give (<c>{v: input.i}</c>), so the same assertions pass and fail and the counts can be checked exactly.
/// Registered for block type <c>function</c> in the benchmark's own worker hosts only; the services never see it.
/// </summary>
public sealed class IoWaitFunctionExecutor(TimeSpan wait) : IBlockExecutor
{
    public string BlockType => BlockTypes.Function;

    public async Task<BlockExecutionResult> ExecuteAsync(BlockRequest request, CancellationToken cancellationToken)
    {
        await Task.Delay(wait, cancellationToken);
        var i = request.HandleInputs["input-json-0"]?["data"]?["i"]?.DeepClone();
        return new BlockExecutionResult(new Dictionary<string, JsonNode?> { ["output-json-0"] = new JsonObject { ["v"] = i } });
    }
}
