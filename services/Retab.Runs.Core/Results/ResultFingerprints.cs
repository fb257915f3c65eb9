using Retab.Runs.Core.Common;

namespace Retab.Runs.Core.Results;

/// <summary>What a result was computed from; the execution fingerprint combines the other three.</summary>
public sealed record ResultFingerprints(
    string HandleInputsFingerprint,
    string WorkflowDraftFingerprint,
    string BlockConfigFingerprint,
    string AssertionFingerprint)
{
    public string ExecutionFingerprint =>
        CanonicalJson.FingerprintOf(HandleInputsFingerprint, BlockConfigFingerprint, AssertionFingerprint, EngineInfo.Version);
}
