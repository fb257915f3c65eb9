namespace Retab.Runs.Storage.LiteDb;

/// <summary>Where the embedded store keeps its file (section <c>Storage:LiteDb</c>).</summary>
public sealed class LiteDbOptions
{
    public const string Section = "Storage:LiteDb";

    /// <summary>The database file; its folder is created when missing.</summary>
    public string Path { get; set; } = "./data/retab-runs.db";
}
