using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Retab.Runs.Blocks;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Documents;
using Retab.Runs.Core.Execution;
using Retab.Runs.Core.Limits;
using Retab.Runs.Messaging;
using Retab.Runs.Worker.Consumers;
using Retab.Runs.Worker.Definitions;
using Retab.Runs.Worker.Observability;

namespace Retab.Runs.Worker;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>What executes tests: blocks, assertions, documents over the bus. No store; its consumers join the bus with <see cref="AddRunWorkerConsumers"/>.</summary>
    public static IServiceCollection AddRunWorker(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(WorkerOptions.Section);
        var options = section.Get<WorkerOptions>() ?? new WorkerOptions();
        services.AddOptions<WorkerOptions>().Bind(section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddBusPublishing(configuration);
        services.AddServiceLimits(configuration);
        services.AddBlockExecutors(configuration);
        services.AddHostedService<SandboxWarmUp>(); // before the bus, which AddRunsBus registers after this
        services.TryAddSingleton(sp => new AssertionEngine(sp.GetService<IAssertionModel>()));
        services.AddSingleton(sp => new TestExecution(
            sp.GetServices<IBlockExecutor>(), sp.GetRequiredService<AssertionEngine>(), sp.GetServices<UnavailableBlockType>(),
            sp.GetRequiredService<IOptions<ServiceLimits>>().Value));
        services.AddSingleton<RunCancellations>();
        // Registered before the bus (AddRunsBus comes after this), so it stops after it: consumers still finishing
        // during the bus's stop wait for their results to be published.
        services.AddSingleton<FinishedReports>();
        services.AddHostedService(sp => sp.GetRequiredService<FinishedReports>());
        services.AddRunsMetrics();
        services.AddSingleton<ExecutionSignals>();
        services.AddSingleton(new DocumentCache(options.DocumentCacheBytes));
        services.AddSingleton<IDocumentSource, BusDocumentSource>();
        return services;
    }

    /// <summary>The execution consumer on the shared queue, the cancellation listener on a queue of this instance's own, and the document requests.</summary>
    public static IBusRegistrationConfigurator AddRunWorkerConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddRequestClient<GetDocumentContent>();
        bus.AddConsumer<ExecuteWorkflowTestConsumer, ExecuteWorkflowTestConsumerDefinition>();
        bus.AddConsumer<TestRunCancelledConsumer, TestRunCancelledConsumerDefinition>();
        return bus;
    }
}
