using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Retab.Runs.Testing;

/// <summary>
/// <c>dotnet &lt;some service&gt;.dll</c> as a real OS process, configured by environment variables as a deployment
/// configures it; its last output lines are kept, and it is killed with its process tree, by its PID, on dispose.
/// </summary>
public sealed class DotnetProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    private const int KeptLines = 200;

    private readonly Process _process;
    private readonly Action<string>? _onLine;
    private readonly ConcurrentQueue<string> _lines = new();

    private DotnetProcess(Process process, string name, Action<string>? onLine)
    {
        _process = process;
        _onLine = onLine;
        Name = name;
    }

    public string Name { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once the process has ended by itself.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Waits for the process to end by itself; false when it still runs after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <param name="onLine">Sees every line the process writes (stdout and stderr), from the first one on.</param>
    /// <param name="onExited">Called if the process ends by itself or is killed.</param>
    public static DotnetProcess Start(
        string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string name,
        Action<string>? onLine = null, Action? onExited = null)
    {
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
        foreach (var (key, value) in environment)
            start.Environment[key] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var started = new DotnetProcess(process, name, onLine);
        if (onExited is not null)
            process.Exited += (_, _) => onExited();
        process.OutputDataReceived += (_, e) => started.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => started.Keep(e.Data);
        if (!process.Start())
            throw new InvalidOperationException($"Could not start {start.FileName} {dll}.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>The last lines the process wrote (stdout and stderr).</summary>
    public string Tail() => string.Join(Environment.NewLine, _lines);

    /// <summary>Asks the process to stop as a service manager does (SIGTERM): the host then shuts down gracefully.</summary>
    public void Terminate()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            throw new PlatformNotSupportedException("SIGTERM needs a Unix.");
        if (Kill(_process.Id, SigTerm) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
    }


    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Kills the process tree now, without waiting (a last resort on Ctrl+C).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Kills the process tree and waits for it; a process that cannot be confirmed ended is reported to <paramref name="report"/>.</summary>
    public async Task StopAsync(Action<string> report)
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
            report($"[{Name}] could not confirm that process {_process.Id} ended: {error.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(message => Console.Error.WriteLine(message));
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        _onLine?.Invoke(line);
        _lines.Enqueue(line);
        while (_lines.Count > KeptLines && _lines.TryDequeue(out _))
        {
        }
    }

    /// <summary>The dotnet host running this program (the SDK exports DOTNET_HOST_PATH), else <c>dotnet</c> from PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
}
