using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Retab.Runs.Gateway;
using Retab.Runs.Messaging;
using Retab.Runs.Orchestrator;
using Retab.Runs.ServiceDefaults;
using Retab.Runs.Storage.LiteDb;
using Retab.Runs.Worker;

namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>
/// The gateway as the gateway process composes it (store + AddRunGateway + AddRunsBus), served by Kestrel on
/// 127.0.0.1 and a free port; its own service provider and bus.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<GatewayHost> StartAsync(IReadOnlyDictionary<string, string?> settings, ITestOutputHelper output)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(new TestOutputLoggerProvider(output, "gateway"));
        builder.Services
            .AddLiteDbStorage(builder.Configuration)
            .AddRunGateway(builder.Configuration)
            .AddRunsBus(builder.Configuration);

        var app = builder.Build();
        app.MapRunGateway();
        app.MapRunsDefaultEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new GatewayHost(app, new Uri(address));
    }

    public HttpClient Client(string? apiKey)
    {
        var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
            http.DefaultRequestHeaders.Add("Api-Key", apiKey);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}

/// <summary>A generic host of its own (service provider, bus): the orchestrator, or a worker running in this process.</summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private readonly IHost _host;

    private ServiceHost(IHost host) => _host = host;

    /// <summary>The host's services, for a test that acts as the host's own code would (a request client, say).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>As the orchestrator process composes it: store + AddRunOrchestrator + AddRunsBus.</summary>
    public static Task<ServiceHost> StartOrchestratorAsync(IReadOnlyDictionary<string, string?> settings, ITestOutputHelper output) =>
        StartAsync(settings, output, "orchestrator", (services, configuration) => services
            .AddLiteDbStorage(configuration)
            .AddRunOrchestrator(configuration)
            .AddRunsBus(configuration, bus => bus.AddRunOrchestratorConsumers()));

    /// <summary>As the worker process composes it (no store): AddRunWorker + AddRunsBus.</summary>
    public static Task<ServiceHost> StartWorkerAsync(IReadOnlyDictionary<string, string?> settings, ITestOutputHelper output, string name) =>
        StartAsync(settings, output, name, (services, configuration) => services
            .AddRunWorker(configuration)
            .AddRunsBus(configuration, bus => bus.AddRunWorkerConsumers()));

    private static async Task<ServiceHost> StartAsync(
        IReadOnlyDictionary<string, string?> settings, ITestOutputHelper output, string name, Action<IServiceCollection, IConfiguration> compose)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders().AddProvider(new TestOutputLoggerProvider(output, name));
        compose(builder.Services, builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return new ServiceHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
