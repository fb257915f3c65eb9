using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Stores;

/// <summary>A run after a batch of slot events; <see cref="StartedNow"/> when this batch moved it from queued to running.</summary>
public sealed record RunProgress(TestRun Run, bool StartedNow);
