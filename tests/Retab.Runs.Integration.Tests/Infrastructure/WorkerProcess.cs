using Retab.Runs.Testing;
using Retab.Runs.Worker;

namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>
/// <c>dotnet Retab.Runs.Worker.dll</c> as a real OS process (see <see cref="DotnetProcess"/>); on dispose it is killed
/// by its PID and its last output lines are copied to the test output.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly DotnetProcess _process;
    private readonly ITestOutputHelper _output;

    private WorkerProcess(DotnetProcess process, ITestOutputHelper output)
    {
        _process = process;
        _output = output;
    }

    public string WorkerId => _process.Name;

    public int ProcessId => _process.ProcessId;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once the process has ended by itself.</summary>
    public int? ExitCode => _process.ExitCode;

    /// <param name="settings">More settings for this worker, in configuration form (<c>Models:BaseUrl</c>); passed as environment variables.</param>
    public static WorkerProcess Start(string workerId, Uri amqpUri, ITestOutputHelper output, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Bus__Transport"] = "rabbitmq",
            ["Bus__RabbitMqUri"] = amqpUri.ToString(),
            ["Worker__WorkerId"] = workerId,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging__Console__FormatterName"] = "simple",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        return new WorkerProcess(DotnetProcess.Start(typeof(WorkerOptions).Assembly.Location, [], environment, workerId), output);
    }

    /// <summary>SIGTERM, as a container runtime or systemd stops a worker.</summary>
    public void Terminate() => _process.Terminate();

    /// <summary>Whether the process ended within <paramref name="timeout"/>.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    /// <summary>The last lines the process wrote (stdout and stderr).</summary>
    public string Tail() => _process.Tail();

    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync(_output.WriteLine);
        _output.WriteLine($"---- worker process {WorkerId} (pid {ProcessId}), last output ----{Environment.NewLine}{Tail()}");
        await _process.DisposeAsync();
    }
}
