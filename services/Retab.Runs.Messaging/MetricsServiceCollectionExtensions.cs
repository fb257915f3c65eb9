using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Retab.Runs.Core.Observability;

namespace Retab.Runs.Messaging;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// The <see cref="RunsMetrics"/> instruments, one set per host. Every service that records registers it; a process
    /// composing several services gets one. Exporting is the service defaults' job, not the recorder's.
    /// </summary>
    public static IServiceCollection AddRunsMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<RunsMetrics>();
        return services;
    }
}
