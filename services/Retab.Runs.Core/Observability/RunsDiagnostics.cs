using System.Diagnostics;

namespace Retab.Runs.Core.Observability;

/// <summary>
/// The one name under which every process of Retab Runs reports: its <see cref="ActivitySource"/> for spans and the
/// meter <see cref="RunsMetrics"/> creates. Telemetry pipelines subscribe to <see cref="Name"/>; nothing else needs to
/// know it.
/// </summary>
public static class RunsDiagnostics
{
    public const string Name = "Retab.Runs";

    /// <summary>Spans of our own (block and assertion inside an execution); bus and HTTP spans come from their libraries.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);
}

/// <summary>
/// Attribute names on spans and metrics. Ids go on spans only: as metric tags they would make one series per run.
/// </summary>
public static class RunsTags
{
    public const string RunId = "retab.run_id";
    public const string TestId = "retab.test_id";
    public const string WorkflowId = "retab.workflow_id";
    public const string OrganizationId = "retab.organization_id";
    public const string Verdict = "retab.verdict";
    public const string RunStatus = "retab.run.status";
    public const string Trigger = "retab.run.trigger";
    public const string BlockType = "retab.block.type";
    public const string ErrorCode = "retab.error.code";
}
