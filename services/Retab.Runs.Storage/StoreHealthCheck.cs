using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage;

/// <summary>Ready only while the store answers a trivial read.</summary>
public sealed class StoreHealthCheck(IApiKeyStore keys) : IHealthCheck
{
    public const string Name = "store";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await keys.AnyAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception error)
        {
            return HealthCheckResult.Unhealthy("The store does not answer.", error);
        }
    }
}

public static class StoreHealthCheckExtensions
{
    /// <summary>
    /// The store on <c>/health/ready</c>. Safe to call more than once: a process composing the gateway and the
    /// orchestrator (the standalone host) gets one check, as health check names must be unique.
    /// </summary>
    public static IServiceCollection AddStoreHealthCheck(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(StoreCheckRegistered)))
            return services;
        services.AddSingleton<StoreCheckRegistered>();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>(StoreHealthCheck.Name, tags: ["ready"]);
        return services;
    }

    /// <summary>Marks the collection so a second <see cref="AddStoreHealthCheck"/> adds nothing.</summary>
    private sealed class StoreCheckRegistered;
}
