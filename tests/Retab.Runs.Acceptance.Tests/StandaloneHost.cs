using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// The real standalone host (gateway + orchestrator + worker, in-memory bus, LiteDB file) behind real HTTP
/// handlers, in its own data folder. Two organizations have keys: <see cref="KeyA"/> and <see cref="KeyB"/>.
/// <c>onKestrel</c> also puts it on a free loopback port, for clients that cannot use the in-memory handler (a browser).
/// </summary>
public sealed class StandaloneHost : WebApplicationFactory<Program>
{
    // Strong enough for Auth's key rules (KeyStrength): at least 32 characters, no repeats, enough distinct characters.
    public const string KeyA = "rr_test_org_a_8Hq2Lm5Xv9Zc3Tn7Wp4Kj6Rd";
    public const string KeyB = "rr_test_org_b_3Fk8Pw1Ys6Gd2Vm9Lx5Qc7Jn";

    /// <summary>The admin routes' key, for hosts started with <c>Auth:AdminKey</c> set to it.</summary>
    public const string AdminKey = "rr_test_admin_Q7f2Vx9Lk3Mz8Wc5Nb1Hd6Ty";

    private readonly Dictionary<string, string?> _settings;

    public StandaloneHost(string? dataFolder = null, bool withKeys = true, IDictionary<string, string?>? settings = null, bool onKestrel = false)
    {
        if (onKestrel)
            UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
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

    /// <summary>Where Kestrel listens (<c>http://127.0.0.1:port/</c>) on a host made <c>onKestrel</c>, once started.</summary>
    public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");

    /// <summary>A client of the real port (not the in-memory handler), with an organization's key or none.</summary>
    public HttpClient RealClient(string? key = KeyA)
    {
        var http = new HttpClient { BaseAddress = Address };
        if (key is not null)
            http.DefaultRequestHeaders.Add("Api-Key", key);
        return http;
    }

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
        if (disposing)
            WaitUntilTheDatabaseIsClosed();
        if (disposing && OwnsFolder && Directory.Exists(DataFolder))
            Directory.Delete(DataFolder, recursive: true);
    }

    /// <summary>
    /// The factory disposes the host while the program's own <c>app.Run()</c>, which the stop lets return, disposes it
    /// too; whichever comes second returns at once, maybe before the first has closed the database. A host started
    /// next on this folder would then find it locked (<see cref="DataFolderLock"/>), so wait for the lock to be free.
    /// </summary>
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
