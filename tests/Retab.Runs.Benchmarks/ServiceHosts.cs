using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Retab.Runs.Core.Execution;
using Retab.Runs.Gateway;
using Retab.Runs.Messaging;
using Retab.Runs.Orchestrator;
using Retab.Runs.ServiceDefaults;
using Retab.Runs.Storage.LiteDb;
using Retab.Runs.Worker;

namespace Retab.Runs.Benchmarks;

/// <summary>
/// One service host of its own (service provider, configuration, bus) inside the benchmark process, composed
/// with the services' public <c>Add…</c> entry points exactly as their processes compose them.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    public const string ApiKey = "bench_key_0123456789abcdefghijKLMNOP";
    public const string OrganizationId = "org_bench";

    private readonly IHost _host;
    private bool _stopped;

    private ServiceHost(string name, IHost host, Uri? address)
    {
        Name = name;
        _host = host;
        Address = address;
    }

    public string Name { get; }

    /// <summary>Kestrel's address (127.0.0.1, free port) for hosts that serve the HTTP API.</summary>
    public Uri? Address { get; }

    public IServiceProvider Services => _host.Services;

    public IBus Bus => _host.Services.GetRequiredService<IBus>();

    /// <summary>Gateway and orchestrator sharing one process and one LiteDB file in direct mode (the store both need).</summary>
    public static Task<ServiceHost> StartGatewayOrchestratorAsync(Dictionary<string, string?> settings, bool verbose, MessageCounter counter) =>
        StartWebAsync("gateway+orchestrator", settings, verbose, counter, (services, configuration) => services
            .AddLiteDbStorage(configuration)
            .AddRunGateway(configuration)
            .AddRunOrchestrator(configuration)
            .AddRunsBus(configuration, bus => bus.AddRunOrchestratorConsumers()));

    /// <summary>
    /// The standalone composition (Retab.Runs.Standalone's Program.cs): store, gateway, orchestrator and worker on one
    /// in-memory bus, plus a <c>TestRunCompleted</c> subscriber joined to that bus the way any subscriber joins it.
    /// </summary>
    public static Task<ServiceHost> StartEmbeddedAsync(Dictionary<string, string?> settings, bool verbose, MessageCounter counter, Completions completions) =>
        StartWebAsync("standalone", settings, verbose, counter, (services, configuration) =>
        {
            services.AddSingleton(completions);
            services
                .AddLiteDbStorage(configuration)
                .AddRunGateway(configuration)
                .AddRunOrchestrator(configuration)
                .AddRunWorker(configuration)
                .AddRunsBus(configuration, bus =>
                {
                    bus.AddRunOrchestratorConsumers().AddRunWorkerConsumers();
                    bus.AddConsumer<CompletionConsumer>().Endpoint(e =>
                    {
                        e.Name = "retab-bench-completions";
                        e.Temporary = true;
                    });
                });
        });

    /// <summary>
    /// A worker as the worker process composes it (AddRunWorker + AddRunsBus, no store). With <paramref name="ioWait"/>,
    /// this benchmark host (and only it) serves <c>function</c> blocks with <see cref="IoWaitFunctionExecutor"/>.
    /// </summary>
    public static async Task<ServiceHost> StartWorkerAsync(string name, Dictionary<string, string?> settings, bool verbose, MessageCounter counter, TimeSpan? ioWait)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        ConfigureLogging(builder.Logging, verbose);
        builder.Services.AddRunWorker(builder.Configuration);
        if (ioWait is { } wait)
        {
            builder.Services.RemoveAll<IBlockExecutor>();
            builder.Services.AddSingleton<IBlockExecutor>(new IoWaitFunctionExecutor(wait));
        }
        builder.Services.AddRunsBus(builder.Configuration, bus => bus.AddRunWorkerConsumers());
        var host = builder.Build();
        counter.ConnectTo(host.Services.GetRequiredService<IBus>());
        await host.StartAsync();
        return new ServiceHost(name, host, null);
    }

    private static async Task<ServiceHost> StartWebAsync(
        string name, Dictionary<string, string?> settings, bool verbose, MessageCounter counter, Action<IServiceCollection, IConfiguration> compose)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        ConfigureLogging(builder.Logging, verbose);
        compose(builder.Services, builder.Configuration);
        var app = builder.Build();
        app.MapRunGateway();
        app.MapRunsDefaultEndpoints();
        counter.ConnectTo(app.Services.GetRequiredService<IBus>());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ServiceHost(name, app, new Uri(address));
    }

    public HttpClient HttpClient() => HttpClientFor(Address ?? throw new InvalidOperationException($"{Name} serves no HTTP."));

    /// <summary>A client of the public API with the benchmark's API key.</summary>
    public static HttpClient HttpClientFor(Uri address)
    {
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromMinutes(5),
        };
        http.DefaultRequestHeaders.Add("Api-Key", ApiKey);
        return http;
    }

    /// <summary>Settings every host of a stack shares: the transport, and the API key the gateway accepts.</summary>
    public static Dictionary<string, string?> CommonSettings(string transport, Uri? amqpUri, string dataFolder)
    {
        var settings = BaseSettings(transport, amqpUri, dataFolder);
        foreach (var (key, value) in ExtraSettings)
            settings[key] = value;
        return settings;
    }

    /// <summary>From <c>--set</c>: applied last, to every host (and, as environment variables, to worker processes).</summary>
    public static IReadOnlyDictionary<string, string> ExtraSettings { get; set; } = new Dictionary<string, string>();

    private static Dictionary<string, string?> BaseSettings(string transport, Uri? amqpUri, string dataFolder) => new()
    {
        ["Bus:Transport"] = transport,
        ["Bus:RabbitMqUri"] = amqpUri?.ToString(),
        ["Storage:LiteDb:Path"] = Path.Combine(dataFolder, "retab-runs.db"),
        ["Storage:LiteDb:Shared"] = "false",
        ["Auth:ApiKeys:0:Key"] = ApiKey,
        ["Auth:ApiKeys:0:OrganizationId"] = OrganizationId,
        ["Auth:BootstrapKeyFile"] = Path.Combine(dataFolder, "api-key"),
        // The deadline counts from queueing, not from pickup: with the default 2 minutes, a run whose queue takes
        // longer than that to drain (100,000 tests, or 1,000 tests of 100 ms at concurrency 1) ends tests in
        // deadline_exceeded although every worker is healthy. Benchmarks measure speed, so they lift it.
        ["Orchestrator:ExecutionDeadline"] = ExecutionDeadline,
        // The benchmark drives the API as fast as it can from one key: quotas would measure the limiter.
        ["Limits:RequestsPerSecondPerKey"] = "0",
        ["Limits:MaxRunsInProgressPerOrganization"] = "0",
    };

    public static string ExecutionDeadline { get; set; } = "01:00:00";

    private static void ConfigureLogging(ILoggingBuilder logging, bool verbose)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
            return;
        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            if (_host is IAsyncDisposable asyncDisposable)
                await asyncDisposable.DisposeAsync();
            else
                _host.Dispose();
        }
    }
}
