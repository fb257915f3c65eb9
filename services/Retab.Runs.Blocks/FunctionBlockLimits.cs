namespace Retab.Runs.Blocks;

/// <summary>
/// Hard limits of the JavaScript sandbox (section <c>Blocks:Function</c>). A block's <c>timeout_ms</c> may lower the
/// time limit, never raise it. The size of what a function returns is bounded by <c>Limits:MaxOutputBytes</c> and
/// <c>Limits:MaxJsonDepth</c>, shared with every other block type.
/// </summary>
public sealed class FunctionBlockLimits
{
    public const string Section = "Blocks:Function";

    /// <summary>Wall-clock time for the whole function: top-level code, <c>main</c>, the promise it returns and its output check.</summary>
    public int TimeoutMs { get; set; } = 5_000;

    /// <summary>Bytes the function may allocate, its return value included; no single string or buffer may be larger.</summary>
    public long MemoryBytes { get; set; } = 64 * 1024 * 1024;

    public int RecursionDepth { get; set; } = 256;
    public int MaxStatements { get; set; } = 10_000_000;

    /// <summary>
    /// How long one regular-expression match may run. A match is one native call that Jint cannot interrupt between
    /// statements; a second of backtracking is a catastrophic pattern, not a workload. A match that starts just before
    /// the time limit may outlive it: the watchdog then ends the test at the limit plus <see cref="StopGraceMs"/>.
    /// </summary>
    public int RegexTimeoutMs { get; set; } = 1_000;

    /// <summary>
    /// How long past its time limit (or its cancellation) a function may take to stop by itself. After that the test
    /// ends blocked with <c>timeout</c> anyway and its sandbox thread is abandoned and replaced, so one call that never
    /// returns cannot hold a thread, a test or the worker's shutdown.
    /// </summary>
    public int StopGraceMs { get; set; } = 1_000;

    /// <summary>Functions that run at once. JavaScript is CPU-bound: one per core keeps every core busy.</summary>
    public int SandboxThreads { get; set; } = Environment.ProcessorCount;
}
