namespace Retab.Runs.Core.Runs;

/// <summary>Why a run ended in <c>error</c>: <see cref="Code"/> is stable (<c>no_tests_in_scope</c>, <c>workflow_not_found</c>…).</summary>
public sealed record RunError(string Code, string Message, string? BlockId = null);
