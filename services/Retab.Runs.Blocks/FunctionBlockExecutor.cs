using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Native.Function;
using Jint.Runtime;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Execution;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Blocks;

/// <summary>
/// Runs a function block's JavaScript in Jint: <c>main(input)</c> receives the data of <c>input-json-0</c> and its
/// return value becomes the data of <c>output-json-0</c>. The engine has no CLR access (Jint exposes none unless
/// asked), no file or network API, and hard limits on time, memory, recursion and statements; hitting one is a
/// failure of the user's block, and the worker keeps serving.
/// </summary>
public sealed class FunctionBlockExecutor(IOptions<FunctionBlockLimits> limits) : IBlockExecutor, IDisposable
{
    public const string InputHandle = "input-json-0";
    public const string OutputHandle = "output-json-0";

    private const int MaxCachedScripts = 256;

    // A run executes the same block code for every one of its tests: parse it once.
    private readonly ConcurrentDictionary<string, Prepared<Script>> _scripts = new(StringComparer.Ordinal);

    private readonly SandboxThreads _sandbox = new(limits.Value.SandboxThreads);

    public string BlockType => BlockTypes.Function;

    public Task<BlockExecutionResult> ExecuteAsync(BlockRequest request, CancellationToken cancellationToken)
    {
        var (config, handleInputs) = (request.Config, request.HandleInputs);
        if (config["code"] is not JsonValue codeValue || !codeValue.TryGetValue<string>(out var code))
            return Task.FromResult(BlockExecutionResult.Failed("The function block has no 'code'."));
        var input = handleInputs[InputHandle]?["data"];
        return _sandbox.RunAsync(() => Execute(code, TimeoutFor(config), input, cancellationToken));
    }

    private BlockExecutionResult Execute(string code, TimeSpan timeout, JsonNode? input, CancellationToken cancellationToken)
    {
        var limit = limits.Value;
        try
        {
            var engine = new Engine(options => options
                .TimeoutInterval(timeout)
                .LimitMemory(limit.MemoryBytes)
                .LimitRecursion(limit.RecursionDepth)
                .MaxStatements(limit.MaxStatements)
                .CancellationToken(cancellationToken));
            engine.Execute(Prepare(code));
            if (engine.GetValue("main") is not Function main)
                return BlockExecutionResult.Failed("The code does not define a function 'main(input)'.");

            var argument = input is null ? JsValue.Null : new Jint.Native.Json.JsonParser(engine).Parse(input.ToJsonString());
            var returned = engine.Invoke(main, argument).UnwrapIfPromise();
            if (OutputShape.DeeperThan(returned, OutputShape.MaxDepth))
                return BlockExecutionResult.Failed($"main returned a value nested deeper than {OutputShape.MaxDepth} levels.");
            var json = returned.IsUndefined() ? "null" : new Jint.Native.Json.JsonSerializer(engine).Serialize(returned).ToString();
            return new BlockExecutionResult(new Dictionary<string, JsonNode?> { [OutputHandle] = JsonNode.Parse(json) });
        }
        catch (JavaScriptException error)
        {
            return BlockExecutionResult.Failed($"main threw: {error.Message}");
        }
        catch (TimeoutException)
        {
            return BlockExecutionResult.Failed($"The function ran longer than its {timeout.TotalMilliseconds:0} ms limit.");
        }
        catch (MemoryLimitExceededException)
        {
            return BlockExecutionResult.Failed($"The function used more than {limit.MemoryBytes / (1024 * 1024)} MiB.");
        }
        catch (RecursionDepthOverflowException)
        {
            return BlockExecutionResult.Failed($"The function recursed deeper than {limit.RecursionDepth} calls.");
        }
        catch (StatementsCountOverflowException)
        {
            return BlockExecutionResult.Failed($"The function executed more than {limit.MaxStatements} statements.");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Anything else thrown while running user code (parse errors, too-deep source, JSON it cannot express)
            // is the block's failure, never the worker's.
            return BlockExecutionResult.Failed($"The function could not run: {error.Message}");
        }
    }

    private Prepared<Script> Prepare(string code)
    {
        if (_scripts.TryGetValue(code, out var prepared))
            return prepared;
        if (_scripts.Count >= MaxCachedScripts)
            _scripts.Clear();
        return _scripts[code] = Engine.PrepareScript(code);
    }

    public void Dispose() => _sandbox.Dispose();

    private TimeSpan TimeoutFor(JsonObject config)
    {
        var ceiling = limits.Value.TimeoutMs;
        var requested = config["timeout_ms"] is JsonValue value && value.TryGetValue<int>(out var ms) && ms > 0 ? ms : ceiling;
        return TimeSpan.FromMilliseconds(Math.Min(requested, ceiling));
    }
}
