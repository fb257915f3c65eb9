using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;

namespace Retab.Runs.ServiceDefaults;

/// <summary>
/// The orchestrator's and worker's host. Without <c>Management:Urls</c> it is a generic host that opens no port at all
/// (several workers share one machine in tests and local deployments). With it, a slim web host on those URLs that
/// serves only <c>/health/live</c>, <c>/health/ready</c> and, when Prometheus is on, <c>/metrics</c>.
/// </summary>
public static class ServiceHost
{
    public static IHostApplicationBuilder CreateBuilder(string[] args)
    {
        var urls = ManagementUrls(args);
        if (urls.Length == 0)
            return Host.CreateApplicationBuilder(args);
        var web = WebApplication.CreateSlimBuilder(args);
        web.WebHost.UseUrls(urls);
        return web;
    }

    /// <summary>Builds the host <see cref="CreateBuilder"/> chose and runs it until it is stopped.</summary>
    public static void BuildAndRun(this IHostApplicationBuilder builder)
    {
        switch (builder)
        {
            case WebApplicationBuilder web:
                var app = web.Build();
                app.UseManagementErrors();
                app.MapRunsDefaultEndpoints();
                app.Run();
                break;
            case HostApplicationBuilder generic:
                generic.Build().Run();
                break;
            default:
                throw new ArgumentException($"Not a builder {nameof(CreateBuilder)} makes: {builder.GetType().Name}.", nameof(builder));
        }
    }

    /// <summary>
    /// The setting read from the same sources the host will read (settings files, environment, command line), through a
    /// generic builder that is then dropped: which host to build depends on it.
    /// </summary>
    private static string[] ManagementUrls(string[] args)
    {
        var probe = Host.CreateApplicationBuilder(args);
        using var configuration = probe.Configuration;
        return (configuration[ServiceSettings.ManagementUrls] ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
