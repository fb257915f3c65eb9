using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Retab.Runs.Core.Comparisons;
using Retab.Runs.Core.Runs;
using Retab.Runs.Messaging;
using Retab.Runs.Orchestrator.Consumers;
using Retab.Runs.Orchestrator.Definitions;
using Retab.Runs.Orchestrator.Observability;

namespace Retab.Runs.Orchestrator;

public static class OrchestratorServiceCollectionExtensions
{
    /// <summary>The run saga, its fan-in, dispatcher and sweeper. Needs a store; its consumers join the bus with <see cref="AddRunOrchestratorConsumers"/>.</summary>
    public static IServiceCollection AddRunOrchestrator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OrchestratorOptions>().Bind(configuration.GetSection(OrchestratorOptions.Section));
        services.AddServiceLimits(configuration);
        services.AddBusPublishing(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RunPlanLoader>();
        services.TryAddSingleton<RunComparer>();
        services.AddSingleton<RunAnnouncer>();
        services.AddSingleton<BrokerOutages>();
        services.AddSingleton<RunSaga>();
        services.AddSingleton<RunDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<RunDispatcher>());
        // Registered before the bus (AddRunsBus) so it stops after it: consumers still waiting for a write get it.
        services.AddSingleton<ResultFolding>();
        services.AddHostedService(sp => sp.GetRequiredService<ResultFolding>());
        services.AddHostedService<RunSweeper>();
        services.AddRunsMetrics();
        services.AddHostedService<RunsInFlightGauge>();
        return services;
    }

    /// <summary>The orchestrator's consumers, each with its definition (queue and endpoint settings).</summary>
    public static IBusRegistrationConfigurator AddRunOrchestratorConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CreateTestRunConsumer, CreateTestRunConsumerDefinition>();
        bus.AddConsumer<CancelTestRunConsumer, CancelTestRunConsumerDefinition>();
        bus.AddConsumer<GetDocumentContentConsumer, GetDocumentContentConsumerDefinition>();
        bus.AddConsumer<WorkflowTestStartedConsumer, WorkflowTestStartedConsumerDefinition>();
        bus.AddConsumer<WorkflowTestFinishedConsumer, WorkflowTestFinishedConsumerDefinition>();
        bus.AddConsumer<WorkflowTestsFinishedConsumer, WorkflowTestsFinishedConsumerDefinition>();
        bus.AddConsumer<ExecutionFaultConsumer, ExecutionFaultConsumerDefinition>();
        return bus;
    }
}
