using Retab.Runs.Messaging;
using Retab.Runs.ServiceDefaults;
using Retab.Runs.Storage;
using Retab.Runs.Webhooks;

namespace Retab.Runs.Orchestrator;

/// <summary>
/// The orchestrator as a process of its own: the run saga, the sweeper and webhook delivery, on the store and the bus.
/// Health and metrics on <c>Management:Urls</c> when set, no port otherwise.
/// </summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        var builder = ServiceHost.CreateBuilder(args).AddRunsServiceDefaults("retab-runs-orchestrator");
        builder.Services
            .AddRunStorage(builder.Configuration)
            .AddStoreHealthCheck()
            .AddRunOrchestrator(builder.Configuration)
            .AddRunWebhooks(builder.Configuration)
            .AddRunsBus(builder.Configuration, bus => bus.AddRunOrchestratorConsumers().AddRunWebhookConsumers());
        builder.BuildAndRun();
    }
}
