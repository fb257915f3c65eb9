namespace Retab.Runs.Core.Results;

/// <summary>Why the infrastructure could not run a test (<c>worker_lost</c>, <c>deadline_exceeded</c>, <c>poison_message</c>…).</summary>
public sealed record SlotError(string Code, string Message);
