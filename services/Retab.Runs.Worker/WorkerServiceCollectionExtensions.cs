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

namespace Retab.Runs.Worker;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>The execution consumer on the shared queue, and the cancellation listener on a queue of this instance's own. No store.</summary>
    public static IServiceCollection AddRunWorker(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(WorkerOptions.Section);
        var options = section.Get<WorkerOptions>() ?? new WorkerOptions();
        services.AddOptions<WorkerOptions>().Bind(section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddServiceLimits(configuration);
        services.AddBlockExecutors(configuration);
        services.AddHostedService<SandboxWarmUp>(); // before the bus, which AddRunsBus registers after this
        services.TryAddSingleton(sp => new AssertionEngine(sp.GetService<IAssertionModel>()));
        services.AddSingleton(sp => new TestExecution(
            sp.GetServices<IBlockExecutor>(), sp.GetRequiredService<AssertionEngine>(), sp.GetServices<UnavailableBlockType>(),
            sp.GetRequiredService<IOptions<ServiceLimits>>().Value));
        services.AddSingleton<CancelledRuns>();
        services.AddSingleton(new DocumentCache(options.DocumentCacheBytes));
        services.AddSingleton<IDocumentSource, BusDocumentSource>();

        services.AddBusParticipant(bus =>
        {
            bus.AddRequestClient<GetDocumentContent>(RequestTimeout.After(ms: (int)options.DocumentRequestTimeout.TotalMilliseconds));
            bus.AddConsumer<ExecuteWorkflowTestConsumer>().Endpoint(e =>
            {
                e.Name = EndpointNames.Execute;
                e.PrefetchCount = options.PrefetchCount;
                e.ConcurrentMessageLimit = options.ConcurrencyLimit;
            });
            bus.AddConsumer<TestRunCancelledConsumer>().Endpoint(e =>
            {
                e.InstanceId = options.WorkerId;
                e.Temporary = true;
            });
        });
        return services;
    }
}
