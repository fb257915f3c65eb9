using System.Net;
using Retab.Runs.Messaging;
using Retab.Runs.Testing;

namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>
/// The three services on one broker virtual host, each a host of its own: the gateway (Kestrel on 127.0.0.1),
/// the orchestrator, and workers (OS processes and/or in-process hosts); gateway and orchestrator share one LiteDB
/// file in shared mode, in a temp folder. Started in the order that makes the topology exist before anything is
/// published (orchestrator, workers, gateway), stopped in reverse; the folder and the virtual host go at the end.
/// </summary>
public sealed class RunsStack : IAsyncDisposable
{
    public const string ApiKey = "it_key_org_integration_5Rz8Qw2Lp7Xk3Nv9Jd";
    public const string OrganizationId = "org_integration";

    private readonly List<IAsyncDisposable> _started = [];
    private readonly ITestOutputHelper _output;

    private RunsStack(IsolatedVirtualHost vhost, string dataFolder, ITestOutputHelper output)
    {
        VirtualHost = vhost;
        DataFolder = dataFolder;
        _output = output;
    }

    public IsolatedVirtualHost VirtualHost { get; }
    public string DataFolder { get; }
    public GatewayHost Gateway { get; private set; } = null!;
    public IReadOnlyList<ServiceProcess> WorkerProcesses { get; private set; } = [];

    public Api Api() => new(Gateway.Client(ApiKey));

    /// <summary>
    /// Starts the stack; <paramref name="workerProcesses"/> are worker ids run as OS processes, <paramref name="inProcessWorkers"/> as
    /// hosts here; <paramref name="workerSettings"/> go to every worker (the model server, say: only workers hold its key).
    /// </summary>
    public static async Task<RunsStack> StartAsync(
        BrokerFixture broker, ITestOutputHelper output, string purpose, string[]? workerProcesses = null, string[]? inProcessWorkers = null,
        IReadOnlyDictionary<string, string>? workerSettings = null)
    {
        var vhost = await broker.CreateVirtualHostAsync(purpose);
        var folder = Path.Combine(Path.GetTempPath(), "retab-runs-integration", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        var stack = new RunsStack(vhost, folder, output);
        try
        {
            await stack.StartServicesAsync(workerProcesses ?? [], inProcessWorkers ?? [], workerSettings ?? new Dictionary<string, string>());
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>The settings every service host of this stack reads (the gateway also gets an API key).</summary>
    public static Dictionary<string, string?> Settings(Uri amqpUri, string dataFolder) => new()
    {
        ["Bus:Transport"] = BusOptions.RabbitMq,
        ["Bus:RabbitMqUri"] = amqpUri.ToString(),
        ["Storage:LiteDb:Path"] = Path.Combine(dataFolder, "retab-runs.db"),
        ["Storage:LiteDb:Shared"] = "true",
        ["Orchestrator:SweepInterval"] = "00:00:05",
    };

    private async Task StartServicesAsync(string[] workerProcesses, string[] inProcessWorkers, IReadOnlyDictionary<string, string> workerSettings)
    {
        var settings = Settings(VirtualHost.AmqpUri, DataFolder);

        _started.Add(await ServiceHost.StartOrchestratorAsync(settings, _output));
        await Eventually.WaitAsync(async () =>
                await VirtualHost.ExchangeIsBoundAsync("Retab.Runs.Contracts:CreateTestRun")
                && await VirtualHost.ExchangeIsBoundAsync("Retab.Runs.Contracts:WorkflowTestFinished")
                && await VirtualHost.ExchangeIsBoundAsync("Retab.Runs.Contracts:WorkflowTestsFinished")
                && await VirtualHost.ConsumerCountAsync(EndpointNames.OrchestratorCommands) >= 1
                && await VirtualHost.ConsumerCountAsync(EndpointNames.OrchestratorResults) >= 1,
            TimeSpan.FromSeconds(60), "the orchestrator's queues, bindings and consumers");

        var processes = new List<ServiceProcess>();
        foreach (var workerId in workerProcesses)
        {
            var process = ServiceProcess.Worker(workerId, ServiceProcess.OnBroker(VirtualHost.AmqpUri, workerSettings), _output);
            processes.Add(process);
            _started.Add(process);
        }
        WorkerProcesses = processes;
        foreach (var workerId in inProcessWorkers)
        {
            var hostSettings = new Dictionary<string, string?>(settings) { ["Worker:WorkerId"] = workerId };
            foreach (var (key, value) in workerSettings)
                hostSettings[key] = value;
            _started.Add(await ServiceHost.StartWorkerAsync(hostSettings, _output, workerId));
        }
        var workers = workerProcesses.Length + inProcessWorkers.Length;
        await Eventually.WaitAsync(async () =>
            {
                if (processes.FirstOrDefault(p => p.HasExited) is { } dead)
                    throw new InvalidOperationException($"Worker process {dead.Name} exited during start:\n{dead.Tail()}");
                return await VirtualHost.ExchangeIsBoundAsync("Retab.Runs.Contracts:ExecuteWorkflowTest")
                       && await VirtualHost.ConsumerCountAsync(EndpointNames.Execute) >= workers;
            },
            TimeSpan.FromSeconds(90), $"{workers} worker(s) consuming {EndpointNames.Execute}");

        var gatewaySettings = new Dictionary<string, string?>(settings)
        {
            ["Auth:ApiKeys:0:Key"] = ApiKey,
            ["Auth:ApiKeys:0:OrganizationId"] = OrganizationId,
        };
        Gateway = await GatewayHost.StartAsync(gatewaySettings, _output);
        _started.Add(Gateway);
        using var http = Gateway.Client(null);
        await Eventually.WaitAsync(async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "the gateway's /health/ready to answer 200");
    }

    public ValueTask DisposeAsync() => new(StackTeardown.StopAsync(_started, VirtualHost, DataFolder, "the stack"));
}
