using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Core.Freshness;

/// <summary>
/// Computed at read time: a run or result is fresh while what it was computed from is unchanged.
/// <c>validity_changed</c> — the draft or the tested block's config changed; <c>inputs_changed</c> — the tests'
/// inputs changed; <c>engine_changed</c> — another executor version produced it. A test that never completed a run
/// is <c>unknown</c> for the reason <c>no_baseline</c> (Retab's status is only fresh, stale or unknown).
/// </summary>
public static class FreshnessRules
{
    public const string ValidityChanged = "validity_changed";
    public const string InputsChanged = "inputs_changed";
    public const string EngineChanged = "engine_changed";
    public const string NoBaseline = "no_baseline";

    /// <param name="current">The run's scope planned again on the current draft and tests; null when the workflow is gone.</param>
    public static FreshnessReport ForRun(TestRun run, RunPlan? current) =>
        ForRun(run, current?.Workflow.DraftFingerprint, current is { IsValid: true } ? current.InputsFingerprint : null);

    /// <param name="currentDraftFingerprint">The workflow's draft fingerprint now; null when the workflow is gone.</param>
    /// <param name="currentInputsFingerprint">The inputs fingerprint of the run's scope planned now; null when it no longer plans (not compared while the run is pending).</param>
    public static FreshnessReport ForRun(TestRun run, string? currentDraftFingerprint, string? currentInputsFingerprint)
    {
        var reasons = new List<string>();
        if (currentDraftFingerprint != run.DraftFingerprint)
            reasons.Add(ValidityChanged);
        // A pending run has no inputs fingerprint yet: the orchestrator sets it when it plans the run on the tests as they are then.
        var notPlannedYet = run.Status == RunStatus.Pending && run.InputsFingerprint.Length == 0;
        if (!notPlannedYet && currentInputsFingerprint != run.InputsFingerprint)
            reasons.Add(InputsChanged);
        return new FreshnessReport(
            reasons.Count == 0 ? FreshnessStatus.Fresh : FreshnessStatus.Stale,
            reasons, run.DraftFingerprint, run.InputsFingerprint is "" ? null : run.InputsFingerprint, run.Id);
    }

    /// <param name="baseline">The test's newest completed result, if any.</param>
    public static FreshnessReport ForTest(WorkflowTest test, Workflow? workflow, TestResult? baseline)
    {
        var block = workflow?.FindBlock(test.TargetBlockId);
        var validity = block?.ConfigFingerprint;
        if (baseline is null)
            return new FreshnessReport(FreshnessStatus.Unknown, [NoBaseline], validity, test.HandleInputsFingerprint, null);

        var reasons = new List<string>();
        if (block is null || block.ConfigFingerprint != baseline.Fingerprints.BlockConfigFingerprint)
            reasons.Add(ValidityChanged);
        if (test.HandleInputsFingerprint != baseline.Fingerprints.HandleInputsFingerprint)
            reasons.Add(InputsChanged);
        if (baseline.EngineVersion is { } engine && engine != EngineInfo.Version)
            reasons.Add(EngineChanged);
        return new FreshnessReport(
            reasons.Count == 0 ? FreshnessStatus.Fresh : FreshnessStatus.Stale,
            reasons, validity, test.HandleInputsFingerprint, baseline.RunId);
    }
}
