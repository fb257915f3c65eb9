using Retab.Runs.Messaging;
using Retab.Runs.Models;
using Retab.Runs.ServiceDefaults;

namespace Retab.Runs.Worker;

/// <summary>
/// A worker as a process of its own: executions from the shared queue; no store, no database credentials. Health and
/// metrics on <c>Management:Urls</c> when set, no port otherwise.
/// </summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        var builder = ServiceHost.CreateBuilder(args).AddRunsServiceDefaults("retab-runs-worker");
        builder.Services
            .AddRunWorker(builder.Configuration)
            .AddRunsBus(builder.Configuration, bus => bus.AddRunWorkerConsumers())
            .AddModelEndpointHealthCheck(builder.Configuration);
        builder.BuildAndRun();
    }
}
