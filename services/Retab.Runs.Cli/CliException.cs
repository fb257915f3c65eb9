namespace Retab.Runs.Cli;

/// <summary>
/// A failure the user can act on (a missing key, a bad flag, an answer the service refused): its message is printed as
/// is, without a stack trace, and the process exits with <see cref="ExitCode"/>.
/// </summary>
public class CliException(string message, int exitCode = ExitCodes.UsageOrConnection) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
