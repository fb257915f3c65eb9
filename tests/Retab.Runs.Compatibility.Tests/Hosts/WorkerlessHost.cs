using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Retab.Runs.Gateway;
using Retab.Runs.Messaging;
using Retab.Runs.Orchestrator;
using Retab.Runs.ServiceDefaults;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Compatibility.Tests.Hosts;

/// <summary>
/// Gateway and orchestrator on the in-memory bus and a LiteDB file, with no worker: runs stay queued until the
/// sweeper gives their tests up (<c>worker_lost</c>), which is how the states a worker hurries past are read.
/// </summary>
public sealed class WorkerlessHost : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retab-runs-compat", Guid.NewGuid().ToString("n"));
    private WebApplication _app = null!;

    public static async Task<WorkerlessHost> StartAsync(IDictionary<string, string?> settings)
    {
        var host = new WorkerlessHost();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        var configuration = Keys.Settings();
        configuration["Storage:LiteDb:Path"] = Path.Combine(host._folder, "runs.db");
        foreach (var (key, value) in settings)
            configuration[key] = value;
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services
            .AddLiteDbStorage(builder.Configuration)
            .AddRunGateway(builder.Configuration)
            .AddRunOrchestrator(builder.Configuration)
            .AddRunsBus(builder.Configuration, bus => bus.AddRunOrchestratorConsumers());
        host._app = builder.Build();
        host._app.MapRunGateway();
        host._app.MapRunsDefaultEndpoints();
        await host._app.StartAsync();
        return host;
    }

    public ApiClient Api()
    {
        var http = _app.GetTestClient();
        http.DefaultRequestHeaders.Add("Api-Key", Keys.Valid);
        return new ApiClient(http);
    }

    /// <summary>Publishes on the bus as any third party may (DESIGN §4), bypassing the gateway.</summary>
    public Task PublishAsync<T>(T message) where T : class => _app.Services.GetRequiredService<IBus>().Publish(message);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}
