using Microsoft.Extensions.Diagnostics.HealthChecks;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Gateway.Http;

/// <summary>Ready only while the store answers a trivial read.</summary>
public sealed class StoreHealthCheck(IApiKeyStore keys) : IHealthCheck
{
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
