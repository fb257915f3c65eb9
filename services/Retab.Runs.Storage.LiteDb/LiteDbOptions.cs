namespace Retab.Runs.Storage.LiteDb;

/// <summary>Where the embedded store keeps its file (section <c>Storage:LiteDb</c>).</summary>
public sealed class LiteDbOptions
{
    public const string Section = "Storage:LiteDb";

    /// <summary>The database file; its folder is created when missing.</summary>
    public string Path { get; set; } = "./data/retab-runs.db";

    /// <summary>
    /// Open the file in LiteDB's shared mode (a cross-process lock per operation) so a gateway and an orchestrator
    /// running as separate processes on one machine can use the same file. Slower than the default exclusive mode.
    /// </summary>
    public bool Shared { get; set; }
}
