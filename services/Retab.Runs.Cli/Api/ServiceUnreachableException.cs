namespace Retab.Runs.Cli.Api;

/// <summary>No answer at all: nothing listens at the base URL, the name does not resolve, the connection broke.</summary>
public sealed class ServiceUnreachableException(string message) : CliException(message, ExitCodes.UsageOrConnection);
