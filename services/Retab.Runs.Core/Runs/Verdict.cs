namespace Retab.Runs.Core.Runs;

/// <summary>The outcome of a completed slot.</summary>
public enum Verdict { Passed, Failed, Blocked }
