namespace Retab.Runs.Cli.Streaming;

/// <summary>The service has no event stream route (a version from before it): the caller polls instead.</summary>
public sealed class StreamUnavailableException() : Exception("The service has no run event stream.");
