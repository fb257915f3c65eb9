using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Retab.Runs.Messaging;
using Retab.Runs.Testing;

namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>
/// Every service as an OS process of its own, the way they are deployed: the gateway (Kestrel on 127.0.0.1 and a free
/// port), the orchestrator, and named workers, on a private virtual host; gateway and orchestrator share one LiteDB file
/// in shared mode in a temp folder. Any of them can be killed (<c>kill -9</c>) and started again while a run is in
/// flight. Every process it ever started is killed by its PID on dispose, then the virtual host and the folder go.
/// </summary>
public sealed class ProcessStack : IAsyncDisposable
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(90);

    private readonly List<ServiceProcess> _everyProcess = [];
    private readonly Dictionary<string, ServiceProcess> _workers = [];
    private readonly StackSettings _settings;
    private readonly ITestOutputHelper _output;
    private int _orchestratorStarts;
    private int _gatewayStarts = 1;
    private HttpClient? _http;

    private ProcessStack(IsolatedVirtualHost vhost, string dataFolder, StackSettings settings, ITestOutputHelper output)
    {
        VirtualHost = vhost;
        DataFolder = dataFolder;
        _settings = settings;
        _output = output;
    }

    public IsolatedVirtualHost VirtualHost { get; }
    private string DataFolder { get; }
    private string DatabaseFile => Path.Combine(DataFolder, "retab-runs.db");
    public Uri GatewayAddress { get; private set; } = null!;
    public ServiceProcess Orchestrator { get; private set; } = null!;
    public IReadOnlyCollection<ServiceProcess> Workers => _workers.Values;

    /// <summary>A client with the stack's API key (the gateway runs with no request rate limit).</summary>
    public Api Api()
    {
        _http ??= new HttpClient { BaseAddress = GatewayAddress, Timeout = TimeSpan.FromSeconds(60), DefaultRequestHeaders = { { "Api-Key", RunsStack.ApiKey } } };
        return new Api(_http);
    }

    /// <summary>
    /// Launches every process at once, on a copy of <paramref name="databaseFile"/> (a LiteDB file made beforehand; null
    /// starts on an empty store), and
    /// waits until the orchestrator and the workers consume and the gateway answers ready. Nothing is published before
    /// that, so the order they come up in does not matter.
    /// </summary>
    public static async Task<ProcessStack> StartAsync(
        BrokerFixture broker, ITestOutputHelper output, string purpose, StackSettings settings, string? databaseFile)
    {
        var vhost = await broker.CreateVirtualHostAsync(purpose);
        var folder = Path.Combine(Path.GetTempPath(), "retab-runs-integration", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        var stack = new ProcessStack(vhost, folder, settings, output);
        try
        {
            var clock = Stopwatch.StartNew();
            if (databaseFile is not null)
                File.Copy(databaseFile, stack.DatabaseFile);
            stack.LaunchOrchestrator();
            foreach (var workerId in settings.WorkerIds)
                stack.LaunchWorker(workerId);
            stack.GatewayAddress = FreeLoopbackAddress();
            var gateway = stack.LaunchGateway(stack.GatewayAddress);
            await stack.WaitForOrchestratorAsync();
            await stack.WaitForWorkersAsync();
            await stack.WaitForGatewayAsync(gateway, stack.GatewayAddress);
            output.WriteLine($"{stack._everyProcess.Count} service processes up in {clock.Elapsed.TotalSeconds:0.0} s");
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts an orchestrator process (another one after a kill) and waits until it consumes its queues.</summary>
    public Task StartOrchestratorAsync()
    {
        LaunchOrchestrator();
        return WaitForOrchestratorAsync();
    }

    private void LaunchOrchestrator()
    {
        var name = ++_orchestratorStarts == 1 ? "orchestrator" : $"orchestrator#{_orchestratorStarts}";
        Orchestrator = Track(ServiceProcess.Orchestrator(name, With(Common(), _settings.Orchestrator), _output));
    }

    private Task WaitForOrchestratorAsync() => Eventually.WaitAsync(async () =>
        {
            ThrowIfExited(Orchestrator);
            return await VirtualHost.ExchangeIsBoundAsync("Retab.Runs.Contracts:CreateTestRun")
                   && await VirtualHost.ExchangeIsBoundAsync("Retab.Runs.Contracts:WorkflowTestFinished")
                   && await VirtualHost.ExchangeIsBoundAsync("Retab.Runs.Contracts:WorkflowTestsFinished")
                   && await VirtualHost.ConsumerCountAsync(EndpointNames.OrchestratorCommands) >= 1
                   && await VirtualHost.ConsumerCountAsync(EndpointNames.OrchestratorResults) >= 1;
        },
        StartPatience, $"{Orchestrator.Name} (pid {Orchestrator.ProcessId}) to consume its queues", throughHttpErrors: true);

    /// <summary><c>kill -9</c> the orchestrator; returns once the broker has dropped its consumers.</summary>
    public async Task KillOrchestratorAsync()
    {
        await Orchestrator.KillAsync();
        await Eventually.WaitAsync(async () => await VirtualHost.ConsumerCountAsync(EndpointNames.OrchestratorResults) == 0,
            TimeSpan.FromSeconds(30), $"the broker to drop the killed {Orchestrator.Name}'s consumers", throughHttpErrors: true);
    }

    /// <summary><c>kill -9</c> one worker; returns once the broker has dropped its consumer (and put its unacked executions back).</summary>
    public async Task KillWorkerAsync(string workerId)
    {
        var worker = _workers[workerId];
        _workers.Remove(workerId);
        await worker.KillAsync();
        await Eventually.WaitAsync(async () => await VirtualHost.ConsumerCountAsync(EndpointNames.Execute) <= _workers.Count,
            TimeSpan.FromSeconds(30), $"the broker to drop killed worker {workerId}'s consumer", throughHttpErrors: true);
    }

    /// <summary>Starts one more worker and waits until it consumes the execute queue.</summary>
    public Task StartWorkerAsync(string workerId)
    {
        LaunchWorker(workerId);
        return WaitForWorkersAsync();
    }

    private void LaunchWorker(string workerId) =>
        _workers[workerId] = Track(ServiceProcess.Worker(workerId, With(Bus(), _settings.Worker), _output));

    private Task WaitForWorkersAsync() => Eventually.WaitAsync(async () =>
        {
            foreach (var worker in _workers.Values)
                ThrowIfExited(worker);
            return await VirtualHost.ExchangeIsBoundAsync("Retab.Runs.Contracts:ExecuteWorkflowTest")
                   && await VirtualHost.ConsumerCountAsync(EndpointNames.Execute) >= _workers.Count;
        },
        StartPatience, $"{_workers.Count} worker(s) consuming {EndpointNames.Execute}", throughHttpErrors: true);

    /// <summary>
    /// Starts one more gateway process on the same bus and store (as a second instance behind a load balancer) and
    /// waits until it answers ready; returns its address. It has the stack's API key.
    /// </summary>
    public async Task<Uri> StartGatewayAsync()
    {
        var address = FreeLoopbackAddress();
        await WaitForGatewayAsync(LaunchGateway(address, $"gateway#{++_gatewayStarts}"), address);
        return address;
    }

    private ServiceProcess LaunchGateway(Uri address, string name = "gateway")
    {
        return Track(ServiceProcess.Gateway(With(Common(), new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/'),
            ["Auth:ApiKeys:0:Key"] = RunsStack.ApiKey,
            ["Auth:ApiKeys:0:OrganizationId"] = RunsStack.OrganizationId,
            ["Limits:RequestsPerSecondPerKey"] = "0",
        }), _output, name));
    }

    private async Task WaitForGatewayAsync(ServiceProcess gateway, Uri address)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.WaitAsync(async () =>
            {
                ThrowIfExited(gateway);
                try
                {
                    using var ready = await http.GetAsync("/health/ready");
                    return ready.StatusCode == HttpStatusCode.OK;
                }
                catch (TaskCanceledException)
                {
                    return false;
                }
            },
            StartPatience, $"the gateway (pid {gateway.ProcessId}) to answer 200 on {address}health/ready", throughHttpErrors: true);
    }

    private Dictionary<string, string> Bus() => ServiceProcess.OnBroker(VirtualHost.AmqpUri);

    /// <summary>What gateway and orchestrator share: the bus and the one LiteDB file, in shared mode.</summary>
    private Dictionary<string, string> Common() => With(Bus(), new Dictionary<string, string>
    {
        ["Storage:LiteDb:Path"] = DatabaseFile,
        ["Storage:LiteDb:Shared"] = "true",
    });

    private static Dictionary<string, string> With(Dictionary<string, string> settings, IReadOnlyDictionary<string, string> more)
    {
        foreach (var (key, value) in more)
            settings[key] = value;
        return settings;
    }

    private ServiceProcess Track(ServiceProcess process)
    {
        _everyProcess.Add(process);
        return process;
    }

    private static void ThrowIfExited(ServiceProcess process)
    {
        if (process.HasExited)
            throw new InvalidOperationException($"{process.Name} (pid {process.ProcessId}) exited during start:\n{process.Tail()}");
    }

    private static Uri FreeLoopbackAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        await StackTeardown.StopAsync(_everyProcess, VirtualHost, DataFolder, "the process stack");
    }
}
