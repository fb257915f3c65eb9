namespace Retab.Runs.Core.Freshness;

/// <summary>Retab's <c>ArtifactFreshnessStatus</c>: a test that never ran is <see cref="Unknown"/>, with the reason <c>no_baseline</c>.</summary>
public enum FreshnessStatus { Fresh, Stale, Unknown }

/// <summary>Whether a result still describes the current draft (DESIGN §3.6).</summary>
public sealed record FreshnessReport(
    FreshnessStatus Status,
    IReadOnlyList<string> Reasons,
    string? ValidityFingerprint,
    string? InputFingerprint,
    string? BaselineRunId);
