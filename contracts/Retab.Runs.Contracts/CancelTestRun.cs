namespace Retab.Runs.Contracts;

/// <summary>Asks the orchestrator to cancel a run. Idempotent: cancelling a terminal run does nothing.</summary>
public sealed record CancelTestRun
{
    public required string RunId { get; init; }
    public required string OrganizationId { get; init; }
    public string? Reason { get; init; }
}
