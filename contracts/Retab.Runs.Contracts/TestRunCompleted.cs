namespace Retab.Runs.Contracts;

/// <summary>
/// A run reached a terminal state (<c>completed</c>, <c>cancelled</c> or <c>error</c>). Published once per run,
/// delivered at least once: subscribers dedupe by <see cref="RunId"/>.
/// </summary>
public sealed record TestRunCompleted
{
    public required string RunId { get; init; }
    public required string OrganizationId { get; init; }
    public required string WorkflowId { get; init; }

    /// <summary><c>completed</c>, <c>cancelled</c> or <c>error</c>.</summary>
    public required string Status { get; init; }

    public required RunCountsSnapshot Counts { get; init; }
    public int TotalTests { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public long? DurationMs { get; init; }
    public ExecutionError? Error { get; init; }

    /// <summary>For a completed run: tests that passed in the previous completed run of the same workflow and scope and do not now; null when there is no such run.</summary>
    public int? Regressions { get; init; }

    /// <summary>For a completed run: tests that did not pass in the previous completed run of the same workflow and scope and pass now; null when there is no such run.</summary>
    public int? Fixes { get; init; }
}
