namespace Retab.Runs.Cli.Configuration;

/// <summary>Where the service is and the key to send, with where each came from (shown when something is missing or refused).</summary>
public sealed record ConnectionSettings(Uri BaseUrl, string ApiKey, string BaseUrlSource, string ApiKeySource);
