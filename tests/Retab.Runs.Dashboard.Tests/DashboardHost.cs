using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Dashboard.Tests;

/// <summary>
/// The real standalone host (gateway + orchestrator + worker, in-memory bus, LiteDB file in its own data folder) on
/// Kestrel, listening on a free loopback port, so a real browser can talk to it. One organization, one key.
/// </summary>
public sealed class DashboardHost : WebApplicationFactory<Program>
{
    // Strong enough for Auth's key rules: at least 32 characters, varied, not repeated.
    public const string Key = "rr_dash_org_7Vq3Mz8Lk2Xw5Tb9Hn4Pc6Jd";

    private readonly Dictionary<string, string?> _settings;

    public DashboardHost(IDictionary<string, string?>? settings = null, bool onKestrel = true)
    {
        DataFolder = Path.Combine(Path.GetTempPath(), "retab-runs-dashboard-tests", Guid.NewGuid().ToString("n"));
        _settings = new Dictionary<string, string?>
        {
            ["DataFolder"] = DataFolder,
            ["Auth:ApiKeys:0:Key"] = Key,
            ["Auth:ApiKeys:0:OrganizationId"] = "org_dashboard",
            ["Orchestrator:SweepInterval"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            _settings[key] = value;
        if (onKestrel)
            UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    public string DataFolder { get; }

    /// <summary>Where Kestrel listens (http://127.0.0.1:port/), once <see cref="WebApplicationFactory{T}.StartServer"/> ran.</summary>
    public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");

    /// <summary>A client of the real port (not the in-memory test server), with the organization's key or none.</summary>
    public HttpClient RealClient(string? key = Key)
    {
        var http = new HttpClient { BaseAddress = Address };
        if (key is not null)
            http.DefaultRequestHeaders.Add("Api-Key", key);
        return http;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing)
            return;
        WaitUntilTheDatabaseIsClosed();
        if (Directory.Exists(DataFolder))
            Directory.Delete(DataFolder, recursive: true);
    }

    /// <summary>The program's own shutdown may still be closing the database when the factory returns.</summary>
    private void WaitUntilTheDatabaseIsClosed()
    {
        var database = Path.Combine(DataFolder, "retab-runs.db");
        var clock = Stopwatch.StartNew();
        while (File.Exists(database))
        {
            try
            {
                DataFolderLock.Acquire(database, shared: false).Dispose();
                return;
            }
            catch (DataFolderInUseException) when (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(50);
            }
        }
    }
}
