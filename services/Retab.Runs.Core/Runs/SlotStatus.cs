namespace Retab.Runs.Core.Runs;

/// <summary>Lifecycle of one result slot (one test in one run); see <see cref="RunLifecycle"/>.</summary>
public enum SlotStatus { Pending, Queued, Running, Completed, Error, Cancelled }
