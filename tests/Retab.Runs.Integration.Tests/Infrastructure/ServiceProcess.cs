using Retab.Runs.Gateway.Auth;
using Retab.Runs.Messaging;
using Retab.Runs.Orchestrator;
using Retab.Runs.Testing;
using Retab.Runs.Worker;

namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>
/// One service's own program (<c>dotnet Retab.Runs.Gateway.dll</c>, <c>…Orchestrator.dll</c>, <c>…Worker.dll</c>, built
/// next to this assembly through its project references) as a real OS process, configured by environment variables as
/// a deployment configures it. <see cref="KillAsync"/> is <c>kill -9</c> by its PID, <see cref="Terminate"/> SIGTERM;
/// dispose kills it and copies its last output lines to the test output.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int TailLinesShown = 60;

    private readonly DotnetProcess _process;
    private readonly ITestOutputHelper _output;

    private ServiceProcess(DotnetProcess process, ITestOutputHelper output)
    {
        _process = process;
        _output = output;
    }

    /// <summary>The worker id, or the service's name (<c>gateway</c>, <c>orchestrator#2</c>).</summary>
    public string Name => _process.Name;

    public int ProcessId => _process.ProcessId;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once the process has ended by itself.</summary>
    public int? ExitCode => _process.ExitCode;

    /// <summary>Settings that put a service on the given broker (virtual host in the URI's path).</summary>
    public static Dictionary<string, string> OnBroker(Uri amqpUri, IReadOnlyDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string> { ["Bus:Transport"] = BusOptions.RabbitMq, ["Bus:RabbitMqUri"] = amqpUri.ToString() };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            all[key] = value;
        return all;
    }

    public static ServiceProcess Gateway(IReadOnlyDictionary<string, string> settings, ITestOutputHelper output, string name = "gateway") =>
        Start(name, typeof(AuthOptions).Assembly.Location, settings, output);

    public static ServiceProcess Orchestrator(string name, IReadOnlyDictionary<string, string> settings, ITestOutputHelper output) =>
        Start(name, typeof(OrchestratorOptions).Assembly.Location, settings, output);

    public static ServiceProcess Worker(string workerId, IReadOnlyDictionary<string, string> settings, ITestOutputHelper output) =>
        Start(workerId, typeof(WorkerOptions).Assembly.Location, new Dictionary<string, string>(settings) { ["Worker:WorkerId"] = workerId }, output);

    /// <param name="settings">In configuration form (<c>Bus:RabbitMqUri</c>); passed as environment variables (<c>Bus__RabbitMqUri</c>).</param>
    private static ServiceProcess Start(string name, string dll, IReadOnlyDictionary<string, string> settings, ITestOutputHelper output)
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging__Console__FormatterName"] = "simple",
        };
        foreach (var (key, value) in settings)
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        return new ServiceProcess(DotnetProcess.Start(dll, [], environment, name), output);
    }

    /// <summary><c>kill -9</c>: no shutdown, no flush, no goodbye to the broker; returns once the process is gone.</summary>
    public Task KillAsync() => _process.StopAsync(_output.WriteLine);

    /// <summary>SIGTERM, as a container runtime or systemd stops a service.</summary>
    public void Terminate() => _process.Terminate();

    /// <summary>Whether the process ended within <paramref name="timeout"/>.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    /// <summary>The last lines the process wrote (stdout and stderr).</summary>
    public string Tail() => _process.Tail();

    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync(_output.WriteLine);
        var tail = Tail().Split(Environment.NewLine).TakeLast(TailLinesShown);
        _output.WriteLine($"---- {Name} (pid {ProcessId}), last output ----{Environment.NewLine}{string.Join(Environment.NewLine, tail)}");
        await _process.DisposeAsync();
    }
}
