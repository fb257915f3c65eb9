namespace Retab.Runs.Core.Common;

/// <summary>The version of the execution engine; results computed by another version are stale (<c>engine_changed</c>).</summary>
public static class EngineInfo
{
    public const string Version = "retab-runs-engine/1";
}
