namespace Retab.Runs.Gateway.Responses;

/// <summary>DESIGN §3.6, in Retab's <c>ArtifactFreshness</c> shape: <c>fresh</c>, <c>stale</c> or <c>unknown</c>, with reasons (<c>no_baseline</c> for a test that never ran), computed at read time.</summary>
public sealed record FreshnessResponse(string Status, IReadOnlyList<string> Reasons, string? ValidityFingerprint, string? InputFingerprint, string? BaselineRunId);
