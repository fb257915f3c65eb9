namespace Retab.Runs.Contracts;

/// <summary>Who started a run: <c>api</c>, <c>custom</c>, or any label a publisher chooses.</summary>
public sealed record RunTrigger(string Type);
