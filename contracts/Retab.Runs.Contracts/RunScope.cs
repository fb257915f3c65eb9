namespace Retab.Runs.Contracts;

/// <summary>
/// Which saved tests a run executes: <c>workflow</c>, <c>block</c> (with BlockId), <c>single</c> (with TestId), or
/// <c>rerun</c> (with RunId, the earlier run, and Only: <c>failed</c>, <c>not_passed</c>, <c>error</c> or <c>all</c>).
/// </summary>
public sealed record RunScope(string Type, string? BlockId = null, string? TestId = null, string? RunId = null, string? Only = null);
