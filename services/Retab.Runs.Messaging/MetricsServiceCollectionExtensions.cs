using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Retab.Runs.Core.Observability;
using Retab.Runs.Messaging.Observability;

namespace Retab.Runs.Messaging;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// The <see cref="RunsMetrics"/> instruments, one set per host, and <see cref="RunSignals"/> that records them. Every service that records registers it; a process
    /// composing several services gets one. Exporting is the service defaults' job, not the recorder's.
    /// </summary>
    public static IServiceCollection AddRunsMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<RunsMetrics>();
        services.TryAddSingleton<RunSignals>();
        return services;
    }
}
