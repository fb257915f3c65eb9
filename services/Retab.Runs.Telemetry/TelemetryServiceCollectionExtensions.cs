using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Retab.Runs.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>MassTransit's ActivitySource and Meter: bus spans carry the trace across processes.</summary>
    private const string MassTransitSource = "MassTransit";

    /// <summary>
    /// Traces (HTTP server spans and MassTransit send/receive/consume spans, so one trace runs from the request
    /// through the orchestrator to the worker and back) and metrics (HTTP and bus), exported over OTLP when the
    /// standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Without an endpoint nothing is collected at all: a
    /// listening tracer makes every message create and record spans (several per message) that nobody reads.
    /// <c>OTEL_SERVICE_NAME</c> overrides <paramref name="serviceName"/>.
    /// </summary>
    public static IServiceCollection AddRunsTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        if (string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            return services;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? serviceName))
            .WithTracing(tracing => tracing
                .AddSource(MassTransitSource)
                .AddAspNetCoreInstrumentation(options => options.Filter = http => !http.Request.Path.StartsWithSegments("/health")))
            .WithMetrics(metrics => metrics
                .AddMeter(MassTransitSource)
                .AddAspNetCoreInstrumentation())
            .UseOtlpExporter();
        return services;
    }
}
