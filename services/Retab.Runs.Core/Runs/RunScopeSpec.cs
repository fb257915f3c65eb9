namespace Retab.Runs.Core.Runs;

public enum RunScopeType { Workflow, Block, Single, Rerun }

/// <summary>Which saved tests a run selects.</summary>
/// <param name="RunId">For <see cref="RunScopeType.Rerun"/>: the earlier run whose tests are run again.</param>
/// <param name="Only">For <see cref="RunScopeType.Rerun"/>: which of the earlier run's results select their test.</param>
public sealed record RunScopeSpec(RunScopeType Type, string? BlockId = null, string? TestId = null, string? RunId = null, RerunOnly? Only = null)
{
    public static readonly RunScopeSpec WholeWorkflow = new(RunScopeType.Workflow);

    /// <summary>
    /// The scope as one string, equal exactly for equal scopes: stores match a run's "previous" run on it (the latest
    /// completed run of the same workflow and the same scope).
    /// </summary>
    public string Key => Type switch
    {
        RunScopeType.Block => $"block:{BlockId}",
        RunScopeType.Single => $"single:{TestId}",
        RunScopeType.Rerun => $"rerun:{RunId}:{Only?.ToString().ToLowerInvariant()}",
        _ => "workflow",
    };
}
