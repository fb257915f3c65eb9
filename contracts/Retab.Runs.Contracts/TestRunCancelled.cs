namespace Retab.Runs.Contracts;

/// <summary>A run was cancelled; workers drop its in-flight tests.</summary>
public sealed record TestRunCancelled
{
    public required string RunId { get; init; }
    public required string OrganizationId { get; init; }
    public string? Reason { get; init; }
}
