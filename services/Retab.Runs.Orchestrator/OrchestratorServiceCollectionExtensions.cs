using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Retab.Runs.Core.Runs;
using Retab.Runs.Messaging;
using Retab.Runs.Orchestrator.Consumers;

namespace Retab.Runs.Orchestrator;

public static class OrchestratorServiceCollectionExtensions
{
    /// <summary>The run saga: its consumers (joined to the process's bus by <c>AddRunsBus</c>) and the sweeper. Needs a store.</summary>
    public static IServiceCollection AddRunOrchestrator(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(OrchestratorOptions.Section);
        var options = section.Get<OrchestratorOptions>() ?? new OrchestratorOptions();
        services.AddOptions<OrchestratorOptions>().Bind(section);
        services.AddServiceLimits(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RunPlanLoader>();
        services.AddSingleton<RunAnnouncer>();
        services.AddSingleton<RunDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<RunDispatcher>());
        // Registered before the bus (AddRunsBus) so it stops after it: consumers still waiting for a write get it.
        services.AddSingleton<ResultFolding>();
        services.AddHostedService(sp => sp.GetRequiredService<ResultFolding>());
        services.AddHostedService<RunSweeper>();

        services.AddBusParticipant(bus =>
        {
            bus.AddConsumer<CreateTestRunConsumer>().Endpoint(e => e.Name = EndpointNames.OrchestratorCommands);
            bus.AddConsumer<CancelTestRunConsumer>().Endpoint(e => e.Name = EndpointNames.OrchestratorCommands);
            bus.AddConsumer<GetDocumentContentConsumer>().Endpoint(e => e.Name = EndpointNames.Documents);

            // Enough messages in flight for a full write to gather while the previous one is being stored.
            var inFlight = options.ResultBatchSize * 2 + 16;
            void ResultsEndpoint(IEndpointRegistrationConfigurator e)
            {
                e.Name = EndpointNames.OrchestratorResults;
                e.PrefetchCount = inFlight;
                e.ConcurrentMessageLimit = inFlight;
            }

            bus.AddConsumer<WorkflowTestStartedConsumer>().Endpoint(ResultsEndpoint);
            bus.AddConsumer<WorkflowTestFinishedConsumer>().Endpoint(ResultsEndpoint);
            bus.AddConsumer<ExecutionFaultConsumer>().Endpoint(ResultsEndpoint);
        });
        return services;
    }
}
