using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Compatibility.Tests.Hosts;

/// <summary>The real standalone host (gateway + orchestrator + worker, in-memory bus, LiteDB) in its own data folder.</summary>
public sealed class StandaloneHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "retab-runs-compat", Guid.NewGuid().ToString("n"));

    public StandaloneHost(IDictionary<string, string?>? settings = null)
    {
        _settings = Keys.Settings();
        _settings["DataFolder"] = _dataFolder;
        _settings["Orchestrator:SweepInterval"] = "00:00:01";
        // The scenarios create their fixtures as fast as they can.
        _settings["Limits:RequestsPerSecondPerKey"] = "0";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            _settings[key] = value;
    }

    public ApiClient Api(string? key = Keys.Valid)
    {
        var http = CreateClient();
        if (key is not null)
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
        if (!disposing)
            return;
        WaitUntilTheDatabaseIsClosed();
        if (Directory.Exists(_dataFolder))
            Directory.Delete(_dataFolder, recursive: true);
    }

    /// <summary>
    /// The factory and the program's own <c>app.Run()</c> both dispose the host; the second returns at once, maybe
    /// before the first closed the database, and the folder cannot be deleted while LiteDB holds it.
    /// </summary>
    private void WaitUntilTheDatabaseIsClosed()
    {
        var database = Path.Combine(_dataFolder, "retab-runs.db");
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
