namespace Retab.Runs.Messaging;

/// <summary>Queue names: part of the topology third parties see, so they are fixed here rather than derived from class names.</summary>
public static class EndpointNames
{
    /// <summary>Run commands: <c>CreateTestRun</c>, <c>CancelTestRun</c>.</summary>
    public const string OrchestratorCommands = "retab-runs-orchestrator";

    /// <summary>Per-test events from workers (started, finished, faults), folded into their runs.</summary>
    public const string OrchestratorResults = "retab-runs-orchestrator-results";

    /// <summary>Workers' requests for file content (<c>GetDocumentContent</c>), answered by the orchestrator.</summary>
    public const string Documents = "retab-runs-orchestrator-documents";

    /// <summary>Run completions, turned into webhook deliveries (<c>TestRunCompleted</c>).</summary>
    public const string Webhooks = "retab-runs-webhooks";

    /// <summary>Execution requests, shared by every worker.</summary>
    public const string Execute = "retab-runs-execute";

    /// <summary>The durable work queues: quorum queues on RabbitMQ (a worker's cancellation queue is temporary and stays classic).</summary>
    public static readonly IReadOnlySet<string> Durable = new HashSet<string>([OrchestratorCommands, OrchestratorResults, Execute, Webhooks]);
}
