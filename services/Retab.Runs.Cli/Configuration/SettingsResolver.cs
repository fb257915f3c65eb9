using System.Text.Json;
using System.Text.Json.Nodes;

namespace Retab.Runs.Cli.Configuration;

/// <summary>
/// Resolves the base URL and the API key, each on its own, from the first place that has it: the flag, the environment
/// (<c>RETAB_RUNS_BASE_URL</c>, <c>RETAB_RUNS_API_KEY</c>), the config file (<c>$XDG_CONFIG_HOME/retab-runs/config.json</c>,
/// else <c>~/.config/retab-runs/config.json</c>), then the standalone host's defaults: <c>http://127.0.0.1:8080</c> and the
/// key it writes to <c>./data/api-key</c> on its first start.
/// </summary>
public sealed class SettingsResolver(Func<string, string?> environment, string? homeDirectory, string workingDirectory)
{
    public const string BaseUrlVariable = "RETAB_RUNS_BASE_URL";
    public const string ApiKeyVariable = "RETAB_RUNS_API_KEY";
    public const string DefaultBaseUrl = "http://127.0.0.1:8080";

    public string ConfigFilePath
    {
        get
        {
            var configHome = environment("XDG_CONFIG_HOME");
            if (string.IsNullOrWhiteSpace(configHome))
                configHome = Path.Combine(homeDirectory ?? environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return Path.Combine(configHome, "retab-runs", "config.json");
        }
    }

    private string DefaultKeyFile => Path.Combine(workingDirectory, "data", "api-key");

    /// <exception cref="CliException">No key anywhere, an unreadable config file, or a base URL that is not an absolute http(s) URL.</exception>
    public ConnectionSettings Resolve(string? baseUrlFlag, string? apiKeyFlag)
    {
        var file = ReadConfigFile();
        var (baseUrl, baseUrlSource) =
            First((baseUrlFlag, "--base-url"), (environment(BaseUrlVariable), BaseUrlVariable), (file.BaseUrl, ConfigFilePath))
            ?? (DefaultBaseUrl, "default");
        var (apiKey, apiKeySource) =
            First((apiKeyFlag, "--api-key"), (environment(ApiKeyVariable), ApiKeyVariable), (file.ApiKey, ConfigFilePath), (ReadDefaultKey(), DefaultKeyFile))
            ?? throw new CliException(
                $"No API key. Pass --api-key, set {ApiKeyVariable}, put \"api_key\" in {ConfigFilePath}, " +
                $"or run from the folder where the standalone host wrote data/api-key.");
        return new ConnectionSettings(ParseBaseUrl(baseUrl, baseUrlSource), apiKey, baseUrlSource, apiKeySource);
    }

    private static (string Value, string Source)? First(params (string? Value, string Source)[] candidates)
    {
        foreach (var (value, source) in candidates)
            if (!string.IsNullOrWhiteSpace(value))
                return (value.Trim(), source);
        return null;
    }

    /// <summary>Routes are relative (<c>v1/…</c>), so a trailing slash keeps a path prefix such as <c>https://host/retab/</c>.</summary>
    private static Uri ParseBaseUrl(string value, string source)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw new CliException($"The base URL '{value}' (from {source}) is not an absolute http:// or https:// URL.");
        return url.AbsolutePath.EndsWith('/') ? url : new Uri(url + "/");
    }

    private (string? BaseUrl, string? ApiKey) ReadConfigFile()
    {
        var path = ConfigFilePath;
        if (!File.Exists(path))
            return (null, null);
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new CliException($"{path} must hold a JSON object such as {{\"base_url\": \"…\", \"api_key\": \"…\"}}.");
            return (StringOf(root, "base_url", path), StringOf(root, "api_key", path));
        }
        catch (JsonException error)
        {
            throw new CliException($"{path} is not valid JSON: {error.Message}");
        }
    }

    private static string? StringOf(JsonObject root, string name, string path) => root[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => throw new CliException($"\"{name}\" in {path} must be a string."),
    };

    private string? ReadDefaultKey()
    {
        try
        {
            return File.Exists(DefaultKeyFile) ? File.ReadAllText(DefaultKeyFile) : null;
        }
        catch (UnauthorizedAccessException)
        {
            // The host makes the file 600; someone else's data folder is simply not a source.
            return null;
        }
    }
}
