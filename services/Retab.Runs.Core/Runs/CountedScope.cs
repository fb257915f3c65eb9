using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Core.Runs;

/// <summary>
/// A run's scope as <see cref="RunPlanLoader.CountAsync"/> checked it: the workflow, how many tests the scope selects
/// now, and, for <c>single</c> and <c>rerun</c>, the selected test ids (ascending ordinal order; ids only, never the tests).
/// </summary>
/// <param name="SelectedTestIds">Null for <c>workflow</c> and <c>block</c>: their ids are read from the test store when planned.</param>
public sealed record CountedScope(Workflow Workflow, RunScopeSpec Scope, int TestCount, string? TargetBlockId, IReadOnlyList<string>? SelectedTestIds);
