namespace Retab.Runs.Core.Runs;

/// <summary>
/// A test run: the orchestrator's saga state. Counts are kept in step with the slots by the store
/// (each slot move and its count change are one atomic update).
/// </summary>
public sealed record TestRun
{
    public required string Id { get; init; }
    public required string OrganizationId { get; init; }
    public required string WorkflowId { get; init; }
    public required string WorkflowVersionId { get; init; }
    public required string DraftFingerprint { get; init; }

    /// <summary>Hash of the inputs of the tests selected when the run was planned.</summary>
    public string InputsFingerprint { get; init; } = "";
    public required string TriggerType { get; init; }
    public required RunScopeSpec Scope { get; init; }
    public required RunStatus Status { get; init; }
    public RunError? Error { get; init; }
    public string? CancelReason { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public required int TotalTests { get; init; }
    public required RunCounts Counts { get; init; }

    /// <summary>Set once <c>TestRunStarted</c> was published; a run still running without it is announced again on its next event.</summary>
    public bool StartPublished { get; init; }

    /// <summary>Set once <c>TestRunCompleted</c> was published; the sweeper publishes for terminal runs where it is still false.</summary>
    public bool CompletionPublished { get; init; }

    /// <summary>Last time a slot of this run moved: the sweeper looks for runs that stopped moving.</summary>
    public DateTimeOffset LastProgressAt { get; init; }

    /// <summary>The test id of a <c>single</c> run.</summary>
    public string? TestId => Scope.Type == RunScopeType.Single ? Scope.TestId : null;

    /// <summary>The earlier run a <c>rerun</c> run runs tests of again.</summary>
    public string? RerunOf => Scope.Type == RunScopeType.Rerun ? Scope.RunId : null;

    /// <summary>
    /// Set once a completed run was compared with its previous run (the latest completed run of the same workflow and scope
    /// before it): that run's id, and how many tests regressed (passed there, not now) and were fixed (the reverse).
    /// All null until then, and for a run with no previous run, or that did not complete.
    /// </summary>
    public string? BaselineRunId { get; init; }

    public int? Regressions { get; init; }

    public int? Fixes { get; init; }

    /// <summary>The block of a <c>single</c> or <c>block</c> run (for <c>single</c>, the test's target block).</summary>
    public string? TargetBlockId { get; init; }

    public long? DurationMs => CompletedAt is { } completed
        ? (long)(completed - (StartedAt ?? CreatedAt)).TotalMilliseconds
        : null;
}
