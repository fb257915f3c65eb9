namespace Retab.Runs.Core.Assertions;

/// <summary>The output handle and the dotted path inside its data (<c>lines.0.amount</c>); a null path means the whole data.</summary>
public sealed record AssertionTarget(string OutputHandleId, string? Path);
