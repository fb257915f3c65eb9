namespace Retab.Runs.Testing.Hostile;

/// <summary>Resources of the organization under attack, which the corpus names in paths and bodies.</summary>
public sealed record HostileTargets(string WorkflowId, string BlockId, string TestId, string RunId, string ResultId, string FileId);
