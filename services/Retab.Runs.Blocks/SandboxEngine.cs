using Jint;
using Jint.Constraints;
using Jint.Native;
using Jint.Native.Error;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace Retab.Runs.Blocks;

/// <summary>
/// The Jint engine one function runs in. Jint enforces its limits between statements; this closes what a single
/// statement could otherwise do past them: block its thread, backtrack in a regular expression, wait on a promise,
/// or allocate far more than the memory limit in one native call.
/// </summary>
internal static class SandboxEngine
{
    /// <summary>
    /// V8's longest string, which Jint also enforces (<c>JsString.MaxLength</c>, internal): a longer repeat must fail
    /// with the same <c>RangeError</c> as with the built-in.
    /// </summary>
    private const long MaxStringLength = 536_870_888;

    /// <param name="deadline">
    /// Covers the whole run (top-level code, <c>main</c>, the promise it returns) with one budget: Jint's own
    /// <c>TimeoutInterval</c> restarts at every entry into the engine, so each of those steps had the whole limit.
    /// </param>
    public static Engine Create(FunctionBlockLimits limits, TimeSpan timeout, OperationDeadlineConstraint deadline)
    {
        var engine = new Engine(options =>
        {
            options
                .Constraint(deadline)
                .LimitMemory(limits.MemoryBytes)
                .LimitRecursion(limits.RecursionDepth)
                .MaxStatements(limits.MaxStatements)
                // Every element holds at least a reference: an array longer than this could not fit in the memory limit.
                .MaxArraySize((uint)Math.Clamp(limits.MemoryBytes / IntPtr.Size, 1, uint.MaxValue - 1))
                .RegexTimeoutInterval(TimeSpan.FromMilliseconds(limits.RegexTimeoutMs));
            // Waits inside the engine (await using, for-await) may last no longer than the function.
            options.Constraints.PromiseTimeout = timeout;
            // Atomics.wait blocks the thread inside one native call, where no limit is checked.
            options.AgentCanSuspend = false;
        });
        RemoveBlockingPrimitives(engine);
        GuardRepeat(engine, limits.MemoryBytes);
        return engine;
    }

    /// <summary>
    /// Shared memory and <c>Atomics</c> exist for agents (threads) that a function never has; without them nothing
    /// can wait on another agent, and <c>Atomics.waitAsync</c> cannot park a promise that nothing will settle.
    /// </summary>
    private static void RemoveBlockingPrimitives(Engine engine)
    {
        engine.Global.RemoveOwnProperty("Atomics");
        engine.Global.RemoveOwnProperty("SharedArrayBuffer");
    }

    /// <summary>
    /// <c>String.prototype.repeat</c> allocates its whole result in one native call (<c>'x'.repeat(5e8)</c> is 1 GB)
    /// before Jint's memory check at the next statement can see it; this one refuses a result larger than the whole
    /// memory limit first. Implemented here rather than wrapping the built-in: calling back into the engine from the
    /// host is a new top-level entry, which would reset the statement and memory counters on every call.
    /// </summary>
    private static void GuardRepeat(Engine engine, long memoryBytes)
    {
        // Taken before any user code runs, which could replace the globals.
        var rangeError = (ErrorConstructor)engine.Global.Get("RangeError");
        var stringPrototype = (ObjectInstance)engine.Global.Get("String").Get("prototype");
        var repeat = new ClrFunction(engine, "repeat", (self, arguments) =>
        {
            TypeConverter.RequireObjectCoercible(engine, self);
            var text = TypeConverter.ToString(self);
            var count = TypeConverter.ToIntegerOrInfinity(arguments.Length > 0 ? arguments[0] : JsValue.Undefined);
            if (count < 0 || double.IsPositiveInfinity(count))
                throw new JavaScriptException(rangeError, "Invalid count value");
            if (count == 0 || text.Length == 0)
                return JsString.Empty;
            var length = count * text.Length;
            if (length > MaxStringLength)
                throw new JavaScriptException(rangeError, "Invalid string length");
            if (length * sizeof(char) > memoryBytes)
                throw new MemoryLimitExceededException($"'repeat' would allocate {length * sizeof(char)} bytes, more than the limit of {memoryBytes}.");
            return text.Length == 1
                ? new string(text[0], (int)count)
                : string.Create((int)length, text, static (span, unit) =>
                {
                    for (var at = 0; at < span.Length; at += unit.Length)
                        unit.AsSpan().CopyTo(span[at..]);
                });
        }, length: 1, PropertyFlag.Configurable);
        stringPrototype.FastSetProperty("repeat", new PropertyDescriptor(repeat, PropertyFlag.NonEnumerable));
    }
}
