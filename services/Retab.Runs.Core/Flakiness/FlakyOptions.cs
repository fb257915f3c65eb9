namespace Retab.Runs.Core.Flakiness;

/// <summary>Section <c>Flaky</c>: how many of a test's latest comparable results decide whether it is flaky.</summary>
public sealed class FlakyOptions
{
    public const string Section = "Flaky";

    /// <summary>Upper bound of <see cref="Window"/>: each test read loads this many results at most.</summary>
    public const int MaxWindow = 100;

    /// <summary>How many completed results (newest first) with the test's current fingerprints are compared.</summary>
    public int Window { get; set; } = 10;

    /// <summary>Throws at start when the window cannot be honoured, so a bad value fails the deployment, not a request.</summary>
    public void Validate()
    {
        if (Window is < 2 or > MaxWindow)
            throw new ArgumentOutOfRangeException(nameof(Window), Window, $"Flaky:Window must be between 2 and {MaxWindow}: one result cannot flip.");
    }
}
