using Microsoft.Extensions.Hosting;
using Retab.Runs.Messaging;
using Retab.Runs.Telemetry;

namespace Retab.Runs.Worker;

/// <summary>A worker as a process of its own: executions from the shared queue; no store, no database credentials.</summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services
            .AddRunWorker(builder.Configuration)
            .AddRunsBus(builder.Configuration, bus => bus.AddRunWorkerConsumers())
            .AddRunsTelemetry(builder.Configuration, "retab-runs-worker");
        builder.Build().Run();
    }
}
