namespace Retab.Runs.Blocks;

/// <summary>Hard limits of the JavaScript sandbox (section <c>Blocks:Function</c>). A block's <c>timeout_ms</c> may lower the time limit, never raise it.</summary>
public sealed class FunctionBlockLimits
{
    public const string Section = "Blocks:Function";

    public int TimeoutMs { get; set; } = 5_000;
    public long MemoryBytes { get; set; } = 64 * 1024 * 1024;
    public int RecursionDepth { get; set; } = 256;
    public int MaxStatements { get; set; } = 10_000_000;

    /// <summary>Functions that run at once. JavaScript is CPU-bound: one per core keeps every core busy.</summary>
    public int SandboxThreads { get; set; } = Environment.ProcessorCount;
}
