using System.Net;
using Retab.Runs.Testing;

namespace Retab.Runs.Benchmarks;

/// <summary>
/// The real standalone host (<c>dotnet Retab.Runs.Standalone.dll</c>: gateway, orchestrator and worker, in-memory bus,
/// LiteDB) as an OS process of its own, with its own data folder, on 127.0.0.1 and a port the kernel picks, configured
/// by environment variables as a deployment configures it. Measured from outside, so its memory is its own and its
/// runtime settings are those of its build (its runtimeconfig.json), not this program's. Killed by its PID and its data
/// folder deleted on dispose; also killed on Ctrl+C or exit of the benchmark.
/// </summary>
public sealed class StandaloneProcess : IAsyncDisposable
{
    private const string Project = "Retab.Runs.Standalone";

    // Kestrel reports the port it got through this logger; everything else stays at Warning.
    private const string ListeningLine = "Now listening on: ";

    private readonly DotnetProcess _process;

    private StandaloneProcess(DotnetProcess process, string dll, string dataFolder, Uri address)
    {
        _process = process;
        Dll = dll;
        DataFolder = dataFolder;
        Address = address;
    }

    public string Dll { get; }
    public string DataFolder { get; }
    public Uri Address { get; }
    public int ProcessId => _process.ProcessId;
    public bool HasExited => _process.HasExited;

    /// <summary>The runtimeconfig.json next to the dll: the GC settings the process runs with.</summary>
    public string RuntimeConfigPath => Path.ChangeExtension(Dll, ".runtimeconfig.json");

    /// <summary>Starts the host and returns once <c>GET /health/ready</c> answers 200.</summary>
    /// <param name="settings">Configuration keys with ':' separators, passed as environment variables.</param>
    public static async Task<StandaloneProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var dll = ServiceProcess.FindBuiltService(Project)
                  ?? throw new FileNotFoundException($"{Project}.dll is not built in this configuration; build it: dotnet build -c Release services/{Project}");
        var dataFolder = Path.Combine(Path.GetTempPath(), "retab-runs-bench", $"standalone-{Guid.NewGuid():n}");
        Directory.CreateDirectory(dataFolder);
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Urls"] = "http://127.0.0.1:0",
            ["DataFolder"] = dataFolder,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging__Console__FormatterName"] = "simple",
            ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
        };
        foreach (var (key, value) in settings)
            environment[key.Replace(":", "__")] = value;

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = DotnetProcess.Start(dll, [], environment, "standalone",
            onLine: line =>
            {
                if (line.IndexOf(ListeningLine, StringComparison.Ordinal) is var at and >= 0)
                    listening.TrySetResult(new Uri(line[(at + ListeningLine.Length)..].Trim()));
            },
            onExited: () => listening.TrySetException(new InvalidOperationException("the standalone host exited")));
        ServiceProcess.Track(process);
        try
        {
            var address = await listening.Task.WaitAsync(timeout);
            await WaitUntilReadyAsync(address, timeout);
            return new StandaloneProcess(process, dll, dataFolder, address);
        }
        catch (Exception error) when (error is TimeoutException or InvalidOperationException or HttpRequestException)
        {
            var tail = process.Tail();
            await StopAsync(process, dataFolder);
            throw new InvalidOperationException($"The standalone host did not become ready ({error.Message}):\n{tail}");
        }
    }

    private static async Task WaitUntilReadyAsync(Uri address, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or still starting its bus and store.
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"GET /health/ready did not answer 200 within {timeout.TotalSeconds:0} s");
            await Task.Delay(200);
        }
    }

    public string Tail() => _process.Tail();

    public ValueTask DisposeAsync() => new(StopAsync(_process, DataFolder));

    private static async Task StopAsync(DotnetProcess process, string dataFolder)
    {
        ServiceProcess.Untrack(process);
        await process.DisposeAsync();
        try
        {
            Directory.Delete(dataFolder, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not delete {dataFolder}: {error.Message}");
        }
    }
}
