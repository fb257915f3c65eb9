using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Limits;
using Retab.Runs.Gateway.Auth;

namespace Retab.Runs.Gateway.Http;

/// <summary>
/// Requests per API key, with ASP.NET Core's rate limiter: a token bucket of <see cref="ServiceLimits.RequestBurstPerKey"/>
/// refilled at <see cref="ServiceLimits.RequestsPerSecondPerKey"/>. One key that floods the gateway gets 429s with a
/// <c>Retry-After</c>; other keys — other organizations — keep their own buckets. Requests without a key are not
/// counted: they end in a 401 before touching a store.
/// </summary>
public static class RequestRateLimits
{
    public const string PerKeyPolicy = "per-api-key";

    // Refilling ten times a second keeps a sustained client's wait short instead of bursting once a second.
    private static readonly TimeSpan FastestRefill = TimeSpan.FromMilliseconds(100);

    public static IServiceCollection AddRequestRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ServiceLimits>>((options, limits) =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, cancellationToken) => RejectAsync(context, limits.Value, cancellationToken);
            options.AddPolicy(PerKeyPolicy, http => Partition(http, limits.Value));
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext http, ServiceLimits limits)
    {
        var key = ApiKeyFilter.PresentedKey(http.Request);
        if (key is null || limits.RequestsPerSecondPerKey == 0)
            return RateLimitPartition.GetNoLimiter("");
        var (tokens, period) = Refill(limits.RequestsPerSecondPerKey);
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.RequestBurstPerKey,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>
    /// Whole tokens per period at the given rate: a tenth of it every 100 ms (rounded down to whole tokens) from 10 per
    /// second up, else one token every 1/rate seconds, so a slow rate is not rounded up to one token per 100 ms.
    /// </summary>
    public static (int Tokens, TimeSpan Period) Refill(int perSecond) => perSecond >= 10
        ? (perSecond / 10, FastestRefill)
        : (1, TimeSpan.FromSeconds(1.0 / perSecond));

    private static async ValueTask RejectAsync(OnRejectedContext context, ServiceLimits limits, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ApiErrors.Error(StatusCodes.Status429TooManyRequests, "rate_limited",
                $"This API key sent more than {limits.RequestsPerSecondPerKey} requests per second (setting Limits:RequestsPerSecondPerKey); retry after the time in Retry-After.")
            .ExecuteAsync(http);
    }
}
