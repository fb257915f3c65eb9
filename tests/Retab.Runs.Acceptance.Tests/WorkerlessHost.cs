using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Retab.Runs.Gateway;
using Retab.Runs.Messaging;
using Retab.Runs.Orchestrator;
using Retab.Runs.ServiceDefaults;
using Retab.Runs.Storage.LiteDb;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// Gateway and orchestrator on the in-memory bus and a LiteDB file, with no worker: execution messages go nowhere
/// unless a test plays the worker. Organization <c>org_a</c> has <see cref="StandaloneHost.KeyA"/>, <c>org_b</c>
/// <see cref="StandaloneHost.KeyB"/>.
/// </summary>
public sealed class WorkerlessHost : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "retab-runs-tests", Guid.NewGuid().ToString("n"));
    private WebApplication _app = null!;

    public IServiceProvider Services => _app.Services;

    public static async Task<WorkerlessHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var host = new WorkerlessHost();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        var configuration = new Dictionary<string, string?>
        {
            ["Storage:LiteDb:Path"] = Path.Combine(host._folder, "runs.db"),
            ["Auth:ApiKeys:0:Key"] = StandaloneHost.KeyA,
            ["Auth:ApiKeys:0:OrganizationId"] = "org_a",
            ["Auth:ApiKeys:1:Key"] = StandaloneHost.KeyB,
            ["Auth:ApiKeys:1:OrganizationId"] = "org_b",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
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

    public ApiClient Api(string key = StandaloneHost.KeyA)
    {
        var http = _app.GetTestClient();
        http.DefaultRequestHeaders.Add("Api-Key", key);
        return new ApiClient(http);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}
