using System.Collections.Concurrent;
using System.Diagnostics;
using Retab.Runs.Worker;

namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>
/// <c>dotnet Retab.Runs.Worker.dll</c> as a real OS process, configured by environment variables like a deployment
/// would; killed with its whole process tree (by PID) on dispose, its last output lines copied to the test output.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private readonly Process _process;
    private readonly ITestOutputHelper _output;
    private readonly ConcurrentQueue<string> _lines = new();

    private WorkerProcess(Process process, string workerId, ITestOutputHelper output)
    {
        _process = process;
        _output = output;
        WorkerId = workerId;
    }

    public string WorkerId { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public static WorkerProcess Start(string workerId, Uri amqpUri, ITestOutputHelper output)
    {
        var dll = typeof(WorkerOptions).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Bus__Transport"] = "rabbitmq";
        start.Environment["Bus__RabbitMqUri"] = amqpUri.ToString();
        start.Environment["Worker__WorkerId"] = workerId;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["Logging__Console__FormatterName"] = "simple";

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process, workerId, output);
        process.OutputDataReceived += (_, e) => worker.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Keep(e.Data);
        if (!process.Start())
            throw new InvalidOperationException($"Could not start {start.FileName} {dll}.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>The last lines the process wrote (stdout and stderr).</summary>
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
            _output.WriteLine($"[{WorkerId}] could not confirm that process {_process.Id} ended: {error.Message}");
        }
        finally
        {
            _output.WriteLine($"---- worker process {WorkerId} (pid {_process.Id}), last output ----{Environment.NewLine}{Tail()}");
            _process.Dispose();
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        _lines.Enqueue(line);
        while (_lines.Count > KeptLines && _lines.TryDequeue(out _))
        {
        }
    }

    /// <summary>The dotnet host running these tests (the SDK exports DOTNET_HOST_PATH), else <c>dotnet</c> from PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
