namespace Retab.Runs.Standalone;

/// <summary>
/// The embedded mode needs no settings: everything lives in one data folder (<c>DataFolder</c>, default
/// <c>./data</c>): the LiteDB file and, on first start, the generated API key and the key that signs file URLs.
/// </summary>
public static class StandaloneDefaults
{
    public const string DataFolderKey = "DataFolder";
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static IConfigurationManager AddStandaloneDefaults(this IConfigurationManager configuration)
    {
        var dataFolder = configuration[DataFolderKey] is { Length: > 0 } folder ? folder : "./data";
        var defaults = new Dictionary<string, string?>();
        if (string.IsNullOrEmpty(configuration["Storage:LiteDb:Path"]))
            defaults["Storage:LiteDb:Path"] = Path.Combine(dataFolder, "retab-runs.db");
        if (string.IsNullOrEmpty(configuration["Auth:BootstrapKeyFile"]))
            defaults["Auth:BootstrapKeyFile"] = Path.Combine(dataFolder, "api-key");
        // Signed upload and download URLs stay valid across restarts when the key outlives the process.
        if (string.IsNullOrEmpty(configuration["Files:SigningKey"]) && string.IsNullOrEmpty(configuration["Files:SigningKeyFile"]))
            defaults["Files:SigningKeyFile"] = Path.Combine(dataFolder, "files-signing-key");
        // Loopback by default, and only when nothing says otherwise: --urls, Urls, ASPNETCORE_URLS and the
        // ASPNETCORE_HTTP(S)_PORTS that .NET container images set all win over it.
        if (new[] { "urls", "http_ports", "https_ports" }.All(key => string.IsNullOrEmpty(configuration[key]))
            && !configuration.GetSection("Kestrel:Endpoints").Exists())
            defaults["Urls"] = DefaultUrl;
        configuration.AddInMemoryCollection(defaults);
        return configuration;
    }
}
