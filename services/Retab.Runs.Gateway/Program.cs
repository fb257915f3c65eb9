using Retab.Runs.Messaging;
using Retab.Runs.Telemetry;
using Retab.Runs.Storage;

using Retab.Runs.Gateway.Hosting;

namespace Retab.Runs.Gateway;

/// <summary>The gateway as a process of its own: HTTP API, the store, and a bus it only publishes on.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services
            .AddRunStorage(builder.Configuration)
            .AddRunGateway(builder.Configuration)
            .AddRunsBus(builder.Configuration)
            .AddRunsTelemetry(builder.Configuration, "retab-runs-gateway");

        var app = builder.Build();
        app.MapRunGateway();
        return app.RunUntilStopped();
    }
}
