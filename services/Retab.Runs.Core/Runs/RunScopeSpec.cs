namespace Retab.Runs.Core.Runs;

public enum RunScopeType { Workflow, Block, Single }

/// <summary>Which saved tests a run selects.</summary>
public sealed record RunScopeSpec(RunScopeType Type, string? BlockId = null, string? TestId = null)
{
    public static readonly RunScopeSpec WholeWorkflow = new(RunScopeType.Workflow);
}
