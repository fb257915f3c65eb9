using Microsoft.Extensions.Hosting;
using Retab.Runs.Messaging;

namespace Retab.Runs.Worker;

/// <summary>A worker as a process of its own: executions from the shared queue; no store, no database credentials.</summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services
            .AddRunWorker(builder.Configuration)
            .AddRunsBus(builder.Configuration);
        builder.Build().Run();
    }
}
