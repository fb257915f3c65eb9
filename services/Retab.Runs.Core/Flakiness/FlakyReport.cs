namespace Retab.Runs.Core.Flakiness;

/// <summary>A test's flakiness: <see cref="Flips"/> verdict changes among the <see cref="Window"/> results compared.</summary>
public sealed record FlakyReport(bool IsFlaky, int Flips, int Window)
{
    /// <summary>A test with no comparable result.</summary>
    public static readonly FlakyReport None = new(false, 0, 0);
}
