using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Retab.Runs.Testing.ModelServer;

namespace Retab.Runs.Models.Tests;

/// <summary>The worker's readiness probe of its model endpoint, over real HTTP: cheap, and never a paid call.</summary>
public sealed class ModelEndpointHealthCheckTests
{
    [Fact]
    public async Task A_reachable_endpoint_is_healthy_and_the_probe_makes_no_completion_or_embedding_call()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        await using var services = Build(new() { ["Models:BaseUrl"] = server.BaseUrl });

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Entries[ModelEndpointHealthCheck.Name].Status);
        Assert.Equal(0, server.ChatRequestCount);
        Assert.Equal(0, server.EmbeddingRequestCount);
    }

    [Fact]
    public async Task An_endpoint_nobody_listens_on_is_unhealthy()
    {
        await using var services = Build(new() { ["Models:BaseUrl"] = $"http://127.0.0.1:{ClosedPort()}/v1" });

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Entries[ModelEndpointHealthCheck.Name].Status);
    }

    [Fact]
    public async Task Without_a_model_endpoint_there_is_no_check()
    {
        await using var services = Build(new());

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Empty(report.Entries);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddHealthChecks();
        services.AddModelEndpointHealthCheck(configuration);
        return services.BuildServiceProvider();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
