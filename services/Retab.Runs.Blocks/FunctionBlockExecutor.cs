using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acornima.Ast;
using Jint;
using Jint.Constraints;
using Jint.Native;
using Jint.Native.Function;
using Jint.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Execution;
using Retab.Runs.Core.Limits;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Blocks;

/// <summary>
/// Runs a function block's JavaScript in Jint: <c>main(input)</c> receives the data of <c>input-json-0</c> and its
/// return value becomes the data of <c>output-json-0</c>. The engine has no CLR access (Jint exposes none unless
/// asked), no file or network API, and hard limits on time, memory, recursion and statements; hitting one is a
/// failure of the user's block, and the worker keeps serving. The time limit holds even where Jint cannot check it:
/// the sandbox's watchdog answers at the deadline plus a grace and replaces a thread that does not come back.
/// </summary>
public sealed class FunctionBlockExecutor : IBlockExecutor, IDisposable
{
    public const string InputHandle = "input-json-0";
    public const string OutputHandle = "output-json-0";

    private const int MaxCachedScripts = 256;
    private const string ReturnValue = "main's return value";

    // A run executes the same block code for every one of its tests: parse it once.
    private readonly ConcurrentDictionary<string, Prepared<Script>> _scripts = new(StringComparer.Ordinal);

    private readonly FunctionBlockLimits _limits;
    private readonly ServiceLimits _outputLimits;
    private readonly SandboxThreads _sandbox;

    /// <param name="serviceLimits">The output limits (<c>Limits:MaxOutputBytes</c>, <c>Limits:MaxJsonDepth</c>); their defaults without it.</param>
    public FunctionBlockExecutor(IOptions<FunctionBlockLimits> limits, IOptions<ServiceLimits>? serviceLimits = null, ILogger<FunctionBlockExecutor>? logger = null)
    {
        _limits = limits.Value;
        _outputLimits = serviceLimits?.Value ?? new ServiceLimits();
        var log = logger ?? NullLogger<FunctionBlockExecutor>.Instance;
        _sandbox = new SandboxThreads(_limits.SandboxThreads, TimeSpan.FromMilliseconds(_limits.StopGraceMs), abandoned =>
            log.LogWarning(
                "Sandbox thread {Thread} did not return within {Grace} ms of its function's {Reason}; a new thread took its place ({StillRunning} abandoned threads still running).",
                abandoned.ThreadName, _limits.StopGraceMs, abandoned.Cancelled ? "cancellation" : $"{abandoned.TimeLimit.TotalMilliseconds:0} ms limit",
                _sandbox!.AbandonedThreadsStillRunning));
    }

    public string BlockType => BlockTypes.Function;

    /// <summary>Sandbox threads the watchdog gave up on whose function has not returned yet.</summary>
    public int AbandonedThreadsStillRunning => _sandbox.AbandonedThreadsStillRunning;

    public async Task<BlockExecutionResult> ExecuteAsync(BlockRequest request, CancellationToken cancellationToken)
    {
        var (config, handleInputs) = (request.Config, request.HandleInputs);
        if (config["code"] is not JsonValue codeValue || !codeValue.TryGetValue<string>(out var code))
            return BlockExecutionResult.Failed("The function block has no 'code'.");
        var input = handleInputs[InputHandle]?["data"];
        var timeout = TimeoutFor(config);
        try
        {
            return await _sandbox.RunAsync(stop => Execute(code, timeout, input, stop), timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The watchdog's answer: one native call held the thread past the limit and the grace.
            return TimedOut(timeout);
        }
    }

    /// <summary>
    /// Runs one small function through every path a test takes (parse, engine, regular expression, promise, output),
    /// so that compiling Jint's code, seconds of CPU on a cold process, is not charged to the first tests' time limits:
    /// the watchdog would take a cold start for a stuck function.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        const string code = "async function main(input) { const ok = await Promise.resolve(/^(a+)+$/.test('aa')); return { ok, s: 'x'.repeat(2), n: [input.n, 2.5, null] }; }";
        var warmUp = TimeSpan.FromMinutes(1);
        var input = new JsonObject { ["n"] = 1 };
        var result = await _sandbox.RunAsync(stop => Execute(code, warmUp, input, stop), warmUp, cancellationToken);
        if (result.Failure is not null)
            throw new InvalidOperationException($"The JavaScript sandbox does not work: {result.Failure}");
    }

    private BlockExecutionResult Execute(string code, TimeSpan timeout, JsonNode? input, CancellationToken stop)
    {
        var deadline = new OperationDeadlineConstraint();
        try
        {
            var script = Prepare(code);
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            var engine = SandboxEngine.Create(_limits, timeout, deadline);
            deadline.Begin(timeout, stop);
            engine.Execute(script);
            if (engine.GetValue("main") is not Function main)
                return BlockExecutionResult.Failed("The code does not define a function 'main(input)'.");

            var argument = input is null ? JsValue.Null : new Jint.Native.Json.JsonParser(engine).Parse(input.ToJsonString());
            var returned = Settle(engine.Invoke(main, argument), timeout - clock.Elapsed, stop);
            // Jint measures allocation per statement; the return expression is after the last one.
            if (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore > _limits.MemoryBytes)
                return OverMemory();
            return Output(engine, returned);
        }
        catch (JavaScriptException error)
        {
            return BlockExecutionResult.Failed($"main threw: {error.Message}");
        }
        catch (RegexMatchTimeoutException)
        {
            return BlockExecutionResult.FailedWith(AssertionFailureCodes.Timeout,
                $"A regular expression ran longer than its {_limits.RegexTimeoutMs} ms limit (Blocks:Function:RegexTimeoutMs).");
        }
        catch (TimeoutException)
        {
            return TimedOut(timeout);
        }
        catch (MemoryLimitExceededException)
        {
            return OverMemory();
        }
        catch (RecursionDepthOverflowException)
        {
            return BlockExecutionResult.Failed($"The function recursed deeper than {_limits.RecursionDepth} calls.");
        }
        catch (StatementsCountOverflowException)
        {
            return BlockExecutionResult.Failed($"The function executed more than {_limits.MaxStatements} statements.");
        }
        catch (ExecutionCanceledException)
        {
            throw new OperationCanceledException(stop);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Anything else thrown while running user code (parse errors, too-deep source, JSON it cannot express)
            // is the block's failure, never the worker's.
            return BlockExecutionResult.Failed($"The function could not run: {error.Message}");
        }
        finally
        {
            deadline.End();
        }
    }

    /// <summary>The value <c>main</c>'s promise settles with, waiting no longer than the time left.</summary>
    private static JsValue Settle(JsValue returned, TimeSpan timeLeft, CancellationToken stop)
    {
        if (!returned.IsPromise())
            return returned;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
        wait.CancelAfter(timeLeft > TimeSpan.Zero ? timeLeft : TimeSpan.Zero);
        try
        {
            return returned.UnwrapIfPromise(wait.Token);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            throw new TimeoutException("main's promise did not settle within the time limit.");
        }
    }

    /// <summary>
    /// Checks the value against the output limits before serializing it, then serializes it straight to UTF-8 and
    /// checks the exact size too (a getter or proxy may answer differently the second time it is asked).
    /// </summary>
    private BlockExecutionResult Output(Engine engine, JsValue returned)
    {
        switch (OutputShape.Measure(returned, _outputLimits.MaxJsonDepth, _outputLimits.MaxOutputBytes))
        {
            case OutputShape.Verdict.TooDeep:
                return OutputLimits.TooDeep(_outputLimits, ReturnValue);
            case OutputShape.Verdict.TooLarge:
                return OutputLimits.TooLarge(_outputLimits, ReturnValue);
            case OutputShape.Verdict.Cyclic:
                return BlockExecutionResult.Failed($"{ReturnValue} refers to itself (a cycle), which JSON cannot express.");
        }
        if (returned.IsUndefined())
            return new BlockExecutionResult(new Dictionary<string, JsonNode?> { [OutputHandle] = null });

        var json = new ArrayBufferWriter<byte>();
        if (!new Jint.Native.Json.JsonSerializer(engine).Serialize(returned, json))
            return BlockExecutionResult.Failed($"{ReturnValue} is not a JSON value (a function or a symbol).");
        if (json.WrittenCount > _outputLimits.MaxOutputBytes)
            return OutputLimits.TooLarge(_outputLimits, ReturnValue);
        return new BlockExecutionResult(new Dictionary<string, JsonNode?> { [OutputHandle] = JsonNode.Parse(json.WrittenSpan) });
    }

    private BlockExecutionResult OverMemory() =>
        BlockExecutionResult.Failed($"The function used more than {_limits.MemoryBytes / (1024 * 1024)} MiB.");

    private static BlockExecutionResult TimedOut(TimeSpan timeout) =>
        BlockExecutionResult.FailedWith(AssertionFailureCodes.Timeout, $"The function ran longer than its {timeout.TotalMilliseconds:0} ms limit.");

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
        var ceiling = _limits.TimeoutMs;
        var requested = config["timeout_ms"] is JsonValue value && value.TryGetValue<int>(out var ms) && ms > 0 ? ms : ceiling;
        return TimeSpan.FromMilliseconds(Math.Min(requested, ceiling));
    }
}
