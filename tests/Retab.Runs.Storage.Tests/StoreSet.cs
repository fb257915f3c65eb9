using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.Tests;

/// <summary>One provider's stores, all on the same fresh storage (one database file, one database…).</summary>
public sealed record StoreSet(IWorkflowStore Workflows, ITestStore Tests, IRunStore Runs, IIdempotencyStore Idempotency);
