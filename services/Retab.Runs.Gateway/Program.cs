using Retab.Runs.Messaging;
using Retab.Runs.ServiceDefaults;
using Retab.Runs.Storage;

using Retab.Runs.Gateway.Hosting;

namespace Retab.Runs.Gateway;

/// <summary>The gateway as a process of its own: HTTP API, the store, and a bus it only publishes on.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args).AddRunsServiceDefaults("retab-runs-gateway");
        builder.Services
            .AddRunStorage(builder.Configuration)
            .AddRunGateway(builder.Configuration)
            .AddRunsBus(builder.Configuration);

        var app = builder.Build();
        app.MapRunGateway();
        app.MapRunsDefaultEndpoints();
        return app.RunUntilStopped();
    }
}
