namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>
/// What a <see cref="ProcessStack"/> runs: its workers by id, and settings (configuration form, <c>Orchestrator:SweepInterval</c>)
/// for the orchestrator and for every worker on top of the bus and store settings the stack gives them.
/// </summary>
public sealed record StackSettings(IReadOnlyList<string> WorkerIds)
{
    public IReadOnlyDictionary<string, string> Orchestrator { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Worker { get; init; } = new Dictionary<string, string>();
}
