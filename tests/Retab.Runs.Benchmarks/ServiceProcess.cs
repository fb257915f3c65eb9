using System.Collections.Concurrent;
using Retab.Runs.Testing;
using Retab.Runs.Worker;

namespace Retab.Runs.Benchmarks;

/// <summary>
/// A service as an OS process of its own, configured by environment variables as a deployment configures it:
/// <c>dotnet Retab.Runs.Worker.dll</c>, or this program re-invoked as <c>serve-gateway-orchestrator</c>. Stopped by its
/// PID (and only it) on dispose; also on Ctrl+C or exit of the benchmark.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    public const string ServeGatewayOrchestrator = "serve-gateway-orchestrator";
    public const string ListeningPrefix = "LISTENING ";

    private static readonly ConcurrentDictionary<int, DotnetProcess> Running = new();
    private readonly DotnetProcess _process;
    private readonly TaskCompletionSource<Uri> _listening;

    private ServiceProcess(DotnetProcess process, TaskCompletionSource<Uri> listening)
    {
        _process = process;
        _listening = listening;
    }

    /// <summary>The worker id, or the service's name.</summary>
    public string WorkerId => _process.Name;
    public int ProcessId => _process.ProcessId;
    public bool HasExited => _process.HasExited;

    /// <summary>services/Retab.Runs.Worker/bin/&lt;configuration&gt;/net10.0/Retab.Runs.Worker.dll when it exists, else the copy next to this program.</summary>
    public static string LocateDll(string? explicitPath)
    {
        if (explicitPath is not null)
            return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : throw new FileNotFoundException("--worker-dll not found", explicitPath);
        return FindBuiltService("Retab.Runs.Worker") ?? typeof(WorkerOptions).Assembly.Location;
    }

    /// <summary>
    /// services/&lt;project&gt;/bin/&lt;this program's configuration&gt;/net10.0/&lt;project&gt;.dll, searched from this
    /// program's folder upward; null when that service has not been built in this configuration.
    /// </summary>
    public static string? FindBuiltService(string project)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "services", project, "bin", configuration, "net10.0", project + ".dll");
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    public static ServiceProcess StartWorker(string dll, string workerId, Uri amqpUri, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        var environment = new Dictionary<string, string>(extraEnvironment ?? new Dictionary<string, string>())
        {
            ["Worker__WorkerId"] = workerId,
        };
        return Start(dll, [], workerId, amqpUri, environment);
    }

    /// <summary>
    /// Gateway + orchestrator in a process of their own: this program's <c>serve-gateway-orchestrator</c> mode, composed
    /// exactly as the in-process host; <paramref name="settings"/> become environment variables.
    /// </summary>
    public static async Task<ServiceProcess> StartGatewayOrchestratorAsync(Dictionary<string, string?> settings, Uri amqpUri)
    {
        var environment = settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value!);
        var self = typeof(ServiceProcess).Assembly.Location;
        var process = Start(self, [ServeGatewayOrchestrator], "gateway+orchestrator", amqpUri, environment);
        try
        {
            await process._listening.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (Exception error) when (error is TimeoutException or InvalidOperationException)
        {
            await process.DisposeAsync();
            throw new InvalidOperationException($"The gateway+orchestrator process did not start:\n{process.Tail()}");
        }
        return process;
    }

    /// <summary>Kestrel's address of a gateway process (from its <c>LISTENING</c> line).</summary>
    public Uri? Address => _listening.Task.IsCompletedSuccessfully ? _listening.Task.Result : null;

    private static ServiceProcess Start(string dll, string[] arguments, string name, Uri amqpUri, IReadOnlyDictionary<string, string> extraEnvironment)
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Bus__Transport"] = "rabbitmq",
            ["Bus__RabbitMqUri"] = amqpUri.ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__Console__FormatterName"] = "simple",
            ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
        };
        foreach (var (key, value) in extraEnvironment)
            environment[key] = value;

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = DotnetProcess.Start(dll, arguments, environment, name,
            onLine: line =>
            {
                if (line.StartsWith(ListeningPrefix, StringComparison.Ordinal))
                    listening.TrySetResult(new Uri(line[ListeningPrefix.Length..].Trim()));
            },
            onExited: () => listening.TrySetException(new InvalidOperationException($"{name} exited.")));
        Running[process.ProcessId] = process;
        return new ServiceProcess(process, listening);
    }

    public string Tail() => _process.Tail();

    public async ValueTask DisposeAsync()
    {
        Running.TryRemove(_process.ProcessId, out _);
        await _process.DisposeAsync();
    }

    /// <summary>Puts a service process started elsewhere (the standalone host) on the list that Ctrl+C and exit kill.</summary>
    public static void Track(DotnetProcess process) => Running[process.ProcessId] = process;

    public static void Untrack(DotnetProcess process) => Running.TryRemove(process.ProcessId, out _);

    /// <summary>Last resort on Ctrl+C / exit: kill every service process this program started, each by its PID.</summary>
    public static void KillAllStarted()
    {
        foreach (var (pid, process) in Running)
        {
            process.Kill();
            Running.TryRemove(pid, out _);
        }
    }
}
/// <summary>Resident memory of a process from /proc/&lt;pid&gt;/status (Linux).</summary>
public static class ProcessMemory
{
    /// <summary>VmHWM: the peak resident set size (peak working set), in bytes; null when unreadable.</summary>
    public static long? PeakBytes(int pid) => Field(pid, "VmHWM:");

    public static long? CurrentBytes(int pid) => Field(pid, "VmRSS:");

    /// <summary>Resets VmHWM to the current RSS (<c>echo 5 &gt; /proc/pid/clear_refs</c>), so the next peak is the run's own.</summary>
    public static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long? Field(int pid, string name)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith(name, StringComparison.Ordinal))
                    continue;
                var parts = line[name.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0]) * 1024;
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        return null;
    }

    public static string Mib(long? bytes) => bytes is { } b ? $"{b / 1024.0 / 1024.0:0.0} MiB" : "n/a";
}
