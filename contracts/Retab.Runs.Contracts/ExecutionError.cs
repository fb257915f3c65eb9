namespace Retab.Runs.Contracts;

/// <summary>Why the infrastructure could not run a test (not a failure of the user's block).</summary>
public sealed record ExecutionError(string Code, string Message);
