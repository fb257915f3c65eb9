using System.Collections.Concurrent;
using System.Diagnostics;
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

    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(Process process, string name)
    {
        _process = process;
        WorkerId = name;
    }

    /// <summary>The worker id, or the service's name.</summary>
    public string WorkerId { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>services/Retab.Runs.Worker/bin/&lt;configuration&gt;/net10.0/Retab.Runs.Worker.dll when it exists, else the copy next to this program.</summary>
    public static string LocateDll(string? explicitPath)
    {
        if (explicitPath is not null)
            return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : throw new FileNotFoundException("--worker-dll not found", explicitPath);
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "services", "Retab.Runs.Worker", "bin", configuration, "net10.0", "Retab.Runs.Worker.dll");
            if (File.Exists(candidate))
                return candidate;
        }
        return typeof(WorkerOptions).Assembly.Location;
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
        var workerId = name;
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Bus__Transport"] = "rabbitmq";
        start.Environment["Bus__RabbitMqUri"] = amqpUri.ToString();
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["MASSTRANSIT_USAGE_TELEMETRY"] = "false";
        foreach (var (key, value) in extraEnvironment)
            start.Environment[key] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new ServiceProcess(process, workerId);
        process.Exited += (_, _) => worker._listening.TrySetException(new InvalidOperationException($"{workerId} exited."));
        process.OutputDataReceived += (_, e) => worker.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Keep(e.Data);
        if (!process.Start())
            throw new InvalidOperationException($"Could not start {start.FileName} {dll}.");
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    public string Tail() => string.Join(Environment.NewLine, _lines);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception error) when (error is InvalidOperationException or OperationCanceledException)
        {
            Console.Error.WriteLine($"[{WorkerId}] could not confirm that process {_process.Id} ended: {error.Message}");
        }
        finally
        {
            Running.TryRemove(_process.Id, out _);
            _process.Dispose();
        }
    }

    /// <summary>Last resort on Ctrl+C / exit: kill every worker process this program started, each by its PID.</summary>
    public static void KillAllStarted()
    {
        foreach (var (pid, process) in Running)
        {
            try
            {
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            Running.TryRemove(pid, out _);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        if (line.StartsWith(ListeningPrefix, StringComparison.Ordinal))
            _listening.TrySetResult(new Uri(line[ListeningPrefix.Length..].Trim()));
        _lines.Enqueue(line);
        while (_lines.Count > 100 && _lines.TryDequeue(out _))
        {
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
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
