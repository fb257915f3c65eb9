namespace Retab.Runs.Contracts;

/// <summary>Hashes that tell later whether a result is still fresh.</summary>
public sealed record ExecutionFingerprints(
    string ExecutionFingerprint,
    string HandleInputsFingerprint,
    string WorkflowDraftFingerprint,
    string BlockConfigFingerprint);
