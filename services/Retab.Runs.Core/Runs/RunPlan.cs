using Retab.Runs.Core.Common;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Core.Runs;

/// <summary>The tests a run will execute, or why it cannot run.</summary>
public sealed record RunPlan(Workflow Workflow, IReadOnlyList<WorkflowTest> Tests, string? TargetBlockId, RunError? Error)
{
    public bool IsValid => Error is null;

    /// <summary>Hash of the selected tests' inputs: a run goes stale (<c>inputs_changed</c>) when it changes.</summary>
    public string InputsFingerprint => CanonicalJson.FingerprintOf(
        Tests.OrderBy(t => t.Id, StringComparer.Ordinal).Select(t => $"{t.Id}={t.HandleInputsFingerprint}").ToArray());
}
