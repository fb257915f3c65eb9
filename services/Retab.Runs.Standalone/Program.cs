using Retab.Runs.Gateway;
using Retab.Runs.Gateway.Hosting;
using Retab.Runs.Messaging;
using Retab.Runs.Orchestrator;
using Retab.Runs.ServiceDefaults;
using Retab.Runs.Standalone;
using Retab.Runs.Storage.LiteDb;
using Retab.Runs.Webhooks;
using Retab.Runs.Worker;

// Settings files live next to the binary; relative paths in them (./data) resolve against the caller's directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddStandaloneDefaults();
builder.AddRunsServiceDefaults("retab-runs");

builder.Services
    .AddLiteDbStorage(builder.Configuration)
    .AddRunGateway(builder.Configuration)
    .AddRunOrchestrator(builder.Configuration)
    .AddRunWorker(builder.Configuration)
    .AddRunWebhooks(builder.Configuration)
    .AddRunsBus(builder.Configuration, bus => bus.AddRunOrchestratorConsumers().AddRunWorkerConsumers().AddRunWebhookConsumers());

var app = builder.Build();
if (!StartupChecks.Pass(app))
    return 1;
app.MapRunGateway();
app.MapRunsDefaultEndpoints();
return app.RunUntilStopped();

/// <summary>Visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
