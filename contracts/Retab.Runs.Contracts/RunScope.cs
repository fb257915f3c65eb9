namespace Retab.Runs.Contracts;

/// <summary>Which saved tests a run executes: <c>workflow</c>, <c>block</c> (with BlockId) or <c>single</c> (with TestId).</summary>
public sealed record RunScope(string Type, string? BlockId = null, string? TestId = null);
