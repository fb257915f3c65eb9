namespace Retab.Runs.Core.Freshness;

public enum FreshnessStatus { Fresh, Stale, NoBaseline }

/// <summary>Whether a result still describes the current draft (DESIGN §3.6).</summary>
public sealed record FreshnessReport(
    FreshnessStatus Status,
    IReadOnlyList<string> Reasons,
    string? ValidityFingerprint,
    string? InputFingerprint,
    string? BaselineRunId);
