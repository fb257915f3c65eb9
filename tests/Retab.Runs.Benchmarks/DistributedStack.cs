using Retab.Runs.Messaging;
using Retab.Runs.Testing;

namespace Retab.Runs.Benchmarks;

/// <summary>How the workers of a stack run.</summary>
public sealed record WorkerPlan(int Count, bool AsProcesses, int? ConcurrencyLimit = null, int? PrefetchCount = null, TimeSpan? IoWait = null)
{
    /// <summary>More settings for the workers alone, in configuration form (<c>Models:BaseUrl</c>).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// The services over RabbitMQ as separate hosts: gateway+orchestrator (one host, one LiteDB file in direct mode,
/// Kestrel on 127.0.0.1; a host here, or an OS process), and workers (hosts here, or OS processes), in a private
/// virtual host and a temp data folder.
/// A raw RabbitMQ.Client subscriber hears <c>TestRunCompleted</c>. Everything is stopped on dispose (processes by PID),
/// then the virtual host and the folder are deleted.
/// </summary>
public sealed class DistributedStack : IAsyncDisposable
{
    private readonly List<ServiceHost> _workerHosts = [];
    private readonly List<ServiceProcess> _workerProcesses = [];
    private readonly BenchOptions _options;
    private ServiceHost? _gateway;
    private ServiceProcess? _gatewayProcess;
    private RabbitCompletionListener? _listener;
    private int _generation;

    private DistributedStack(IsolatedVirtualHost vhost, string dataFolder, BenchOptions options)
    {
        VirtualHost = vhost;
        DataFolder = dataFolder;
        _options = options;
    }

    public IsolatedVirtualHost VirtualHost { get; }
    public string DataFolder { get; }
    public MessageCounter Counter { get; } = new();
    public Completions Completions { get; } = new();
    /// <summary>Where the public API listens (the in-process host or the gateway+orchestrator process).</summary>
    public Uri GatewayAddress => _gateway?.Address ?? _gatewayProcess?.Address ?? throw new InvalidOperationException("Not started.");

    /// <summary>The gateway+orchestrator OS process, when it runs as one.</summary>
    public ServiceProcess? GatewayProcess => _gatewayProcess;

    public IReadOnlyList<ServiceProcess> WorkerProcesses => _workerProcesses;

    /// <summary>Every service OS process (gateway+orchestrator and workers), for CPU and memory readings.</summary>
    public IReadOnlyList<int> ServiceProcessIds =>
        _workerProcesses.Select(p => p.ProcessId).Concat(_gatewayProcess is { } g ? [g.ProcessId] : []).ToList();
    public IReadOnlyList<ServiceHost> WorkerHosts => _workerHosts;
    public string? WorkerDll { get; private set; }

    /// <param name="serviceSettings">More settings for the gateway+orchestrator host (in-process only).</param>
    public static async Task<DistributedStack> StartAsync(
        Broker broker, BenchOptions options, string purpose, WorkerPlan workers, bool gatewayAsProcess = false,
        IReadOnlyDictionary<string, string>? serviceSettings = null)
    {
        var vhost = await broker.CreateVirtualHostAsync(purpose);
        var folder = Path.Combine(Path.GetTempPath(), "retab-runs-bench", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        var stack = new DistributedStack(vhost, folder, options);
        try
        {
            if (gatewayAsProcess)
                stack._gatewayProcess = await ServiceProcess.StartGatewayOrchestratorAsync(stack.Settings(), vhost.AmqpUri);
            else
                stack._gateway = await ServiceHost.StartGatewayOrchestratorAsync(
                    With(stack.Settings(), serviceSettings ?? new Dictionary<string, string>()), options.Verbose, stack.Counter);
            await Eventually.WaitAsync(async () =>
                    await vhost.ConsumerCountAsync(EndpointNames.OrchestratorCommands) >= 1
                    && await vhost.ConsumerCountAsync(EndpointNames.OrchestratorResults) >= 1,
                TimeSpan.FromSeconds(60), "the orchestrator's consumers", throughHttpErrors: true);
            stack._listener = await RabbitCompletionListener.StartAsync(vhost.AmqpUri, stack.Completions);
            await stack.StartWorkersAsync(workers);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    public BenchApi Api() => new(ServiceHost.HttpClientFor(GatewayAddress));

    public async Task StartWorkersAsync(WorkerPlan plan)
    {
        _generation++;
        if (plan.Count == 0)
            return;
        if (plan.AsProcesses)
        {
            WorkerDll = ServiceProcess.LocateDll(_options.WorkerDll);
            var environment = ServiceHost.ExtraSettings.ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value);
            if (plan.ConcurrencyLimit is { } limit)
                environment["Worker__ConcurrencyLimit"] = limit.ToString();
            if (plan.PrefetchCount is { } prefetch)
                environment["Worker__PrefetchCount"] = prefetch.ToString();
            foreach (var (key, value) in plan.Settings)
                environment[key.Replace(":", "__")] = value;
            for (var i = 0; i < plan.Count; i++)
                _workerProcesses.Add(ServiceProcess.StartWorker(WorkerDll, $"bench-worker-{_generation}-{i}", VirtualHost.AmqpUri, environment));
        }
        else
        {
            for (var i = 0; i < plan.Count; i++)
            {
                var settings = With(Settings(), plan.Settings);
                settings["Worker:WorkerId"] = $"bench-worker-{_generation}-{i}";
                if (plan.ConcurrencyLimit is { } limit)
                    settings["Worker:ConcurrencyLimit"] = limit.ToString();
                if (plan.PrefetchCount is { } prefetch)
                    settings["Worker:PrefetchCount"] = prefetch.ToString();
                _workerHosts.Add(await ServiceHost.StartWorkerAsync($"worker-{i}", settings, _options.Verbose, Counter, plan.IoWait));
            }
        }
        var expected = _workerHosts.Count + _workerProcesses.Count;
        await Eventually.WaitAsync(async () =>
            {
                if (_workerProcesses.FirstOrDefault(p => p.HasExited) is { } dead)
                    throw new InvalidOperationException($"Worker process {dead.WorkerId} exited during start:\n{dead.Tail()}");
                return await VirtualHost.ExchangeIsBoundAsync("Retab.Runs.Contracts:ExecuteWorkflowTest")
                       && await VirtualHost.ConsumerCountAsync(EndpointNames.Execute) >= expected;
            },
            TimeSpan.FromSeconds(90), $"{expected} worker(s) consuming {EndpointNames.Execute}", throughHttpErrors: true);
    }

    /// <summary>Stops every worker (hosts, then processes by PID) and waits until none consumes any more.</summary>
    public async Task StopWorkersAsync()
    {
        foreach (var host in _workerHosts)
            await host.DisposeAsync();
        _workerHosts.Clear();
        foreach (var process in _workerProcesses)
            await process.DisposeAsync();
        _workerProcesses.Clear();
        await Eventually.WaitAsync(async () => await VirtualHost.ConsumerCountAsync(EndpointNames.Execute) == 0,
            TimeSpan.FromSeconds(60), "the execute queue to have no consumer", throughHttpErrors: true);
    }

    private Dictionary<string, string?> Settings() => ServiceHost.CommonSettings(BusOptions.RabbitMq, VirtualHost.AmqpUri, DataFolder);

    private static Dictionary<string, string?> With(Dictionary<string, string?> settings, IReadOnlyDictionary<string, string> more)
    {
        foreach (var (key, value) in more)
            settings[key] = value;
        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        var errors = new List<Exception>();
        async Task Try(Func<ValueTask> stop)
        {
            try
            {
                await stop();
            }
            catch (Exception error)
            {
                errors.Add(error);
            }
        }

        foreach (var host in _workerHosts)
            await Try(host.DisposeAsync);
        foreach (var process in _workerProcesses)
            await Try(process.DisposeAsync);
        if (_gateway is not null)
            await Try(_gateway.DisposeAsync);
        if (_gatewayProcess is not null)
            await Try(_gatewayProcess.DisposeAsync);
        if (_listener is not null)
            await Try(_listener.DisposeAsync);
        await Try(VirtualHost.DisposeAsync);
        await Try(() =>
        {
            if (Directory.Exists(DataFolder))
                Directory.Delete(DataFolder, recursive: true);
            return ValueTask.CompletedTask;
        });
        if (errors.Count > 0)
            Console.Error.WriteLine($"Stopping the stack: {string.Join("; ", errors.Select(e => e.Message))}");
    }
}
