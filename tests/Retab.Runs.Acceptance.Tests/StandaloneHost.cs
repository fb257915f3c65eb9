using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// The real standalone host (gateway + orchestrator + worker, in-memory bus, LiteDB file) behind real HTTP
/// handlers, in its own data folder. Two organizations have keys: <see cref="KeyA"/> and <see cref="KeyB"/>.
/// </summary>
public sealed class StandaloneHost : WebApplicationFactory<Program>
{
    public const string KeyA = "test-key-organization-a";
    public const string KeyB = "test-key-organization-b";

    private readonly Dictionary<string, string?> _settings;

    public StandaloneHost(string? dataFolder = null, bool withKeys = true, IDictionary<string, string?>? settings = null)
    {
        DataFolder = dataFolder ?? Path.Combine(Path.GetTempPath(), "retab-runs-tests", Guid.NewGuid().ToString("n"));
        OwnsFolder = dataFolder is null;
        _settings = new Dictionary<string, string?>
        {
            ["DataFolder"] = DataFolder,
            ["Orchestrator:SweepInterval"] = "00:00:01",
            // Suites create fixtures as fast as they can; the tests of the limiter set their own rate.
            ["Limits:RequestsPerSecondPerKey"] = "0",
        };
        if (withKeys)
        {
            _settings["Auth:ApiKeys:0:Key"] = KeyA;
            _settings["Auth:ApiKeys:0:OrganizationId"] = "org_a";
            _settings["Auth:ApiKeys:1:Key"] = KeyB;
            _settings["Auth:ApiKeys:1:OrganizationId"] = "org_b";
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            _settings[key] = value;
    }

    public string DataFolder { get; }

    private bool OwnsFolder { get; }

    public ApiClient Client(string key = KeyA)
    {
        var http = CreateClient();
        http.DefaultRequestHeaders.Add("Api-Key", key);
        return new ApiClient(http);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && OwnsFolder && Directory.Exists(DataFolder))
            Directory.Delete(DataFolder, recursive: true);
    }
}
