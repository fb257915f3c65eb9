namespace Retab.Runs.Core.Runs;

/// <summary>Lifecycle of a run; see <see cref="RunLifecycle"/> for the allowed moves.</summary>
public enum RunStatus { Pending, Queued, Running, Completed, Error, Cancelled }
