namespace Retab.Runs.Contracts;

/// <summary>The first test of a run started executing.</summary>
public sealed record TestRunStarted
{
    public required string RunId { get; init; }
    public required string OrganizationId { get; init; }
    public required string WorkflowId { get; init; }
    public DateTimeOffset StartedAt { get; init; }
}
