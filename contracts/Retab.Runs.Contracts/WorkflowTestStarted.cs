namespace Retab.Runs.Contracts;

/// <summary>A worker picked up one test of a run.</summary>
public sealed record WorkflowTestStarted
{
    public required string RunId { get; init; }
    public required string OrganizationId { get; init; }
    public required string TestId { get; init; }
    public required string ResultId { get; init; }
    public int Attempt { get; init; } = 1;
    public DateTimeOffset StartedAt { get; init; }
    public required string WorkerId { get; init; }
}
