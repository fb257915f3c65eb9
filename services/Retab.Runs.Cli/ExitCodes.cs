namespace Retab.Runs.Cli;

/// <summary>What the process tells a script or CI job; documented in the README's CLI section.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked; for a run: every test passed.</summary>
    public const int Success = 0;

    /// <summary>A test failed its assertion or was blocked.</summary>
    public const int TestsFailed = 1;

    /// <summary>A test ended in error, the run was cancelled or ended in error, or waiting stopped before the end. Wins over 1.</summary>
    public const int RunIncomplete = 2;

    /// <summary>Bad flags, a 4xx answer, a missing API key or a service that cannot be reached.</summary>
    public const int UsageOrConnection = 3;
}
