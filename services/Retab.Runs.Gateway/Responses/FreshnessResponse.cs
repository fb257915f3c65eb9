namespace Retab.Runs.Gateway.Responses;

/// <summary>DESIGN §3.6: <c>fresh</c>, <c>stale</c> (with reasons) or <c>no_baseline</c>, computed at read time.</summary>
public sealed record FreshnessResponse(string Status, IReadOnlyList<string> Reasons, string? ValidityFingerprint, string? InputFingerprint, string? BaselineRunId);
