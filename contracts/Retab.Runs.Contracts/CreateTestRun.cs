namespace Retab.Runs.Contracts;

/// <summary>Asks the orchestrator to start a test run. Sent by the gateway or by any publisher on the bus.</summary>
public sealed record CreateTestRun
{
    public required string RunId { get; init; }
    public required string OrganizationId { get; init; }
    public required string WorkflowId { get; init; }

    /// <summary>Null means the whole workflow.</summary>
    public RunScope? Scope { get; init; }

    /// <summary>Null means a third-party publisher: the run records <c>trigger.type = "custom"</c>.</summary>
    public RunTrigger? Trigger { get; init; }

    public DateTimeOffset RequestedAt { get; init; }
}
