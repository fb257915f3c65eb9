using Microsoft.Extensions.Hosting;
using Retab.Runs.Messaging;
using Retab.Runs.Telemetry;
using Retab.Runs.Storage;
using Retab.Runs.Webhooks;

namespace Retab.Runs.Orchestrator;

/// <summary>The orchestrator as a process of its own: the run saga, the sweeper and webhook delivery, on the store and the bus.</summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services
            .AddRunStorage(builder.Configuration)
            .AddRunOrchestrator(builder.Configuration)
            .AddRunWebhooks(builder.Configuration)
            .AddRunsBus(builder.Configuration, bus => bus.AddRunOrchestratorConsumers().AddRunWebhookConsumers())
            .AddRunsTelemetry(builder.Configuration, "retab-runs-orchestrator");
        builder.Build().Run();
    }
}
