using System.Threading.RateLimiting;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Retab.Runs.Core.Observability;

namespace Retab.Runs.Models;

/// <summary>
/// The one place model calls are retried. Outer to inner: retry (429, 5xx, timeouts, connection failures;
/// exponential backoff with jitter; a <c>Retry-After</c> header sets the delay), then the concurrency limit, then
/// the per-try timeout. The limit sits inside the retry so a call waiting out its backoff holds no slot, and the
/// timeout inside the limit so waiting for a slot does not eat the try's time. Every delay and wait observes the
/// caller's token, so no retry outlives the test's deadline.
/// </summary>
internal static class ModelResilience
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ModelOptions options, RunsMetrics? metrics = null)
    {
        // Polly's retry strategy refuses zero attempts; MaxRetries = 0 means no retry strategy at all.
        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldRetryAfterHeader = true,
                OnRetry = _ =>
                {
                    metrics?.ModelRetries.Add(1, new KeyValuePair<string, object?>(ModelTelemetry.RequestModelTag, ModelCallModel.Current ?? "unknown"));
                    return ValueTask.CompletedTask;
                },
            });
        }
        pipeline.AddConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, options.MaxConcurrency),
            // Calls over the limit wait (in order) rather than fail: a burst of tests must slow down, not error.
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        pipeline.AddTimeout(options.Timeout);
    }
}
