using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Retab.Runs.Core.Observability;

namespace Retab.Runs.ServiceDefaults;

/// <summary>
/// The telemetry pipeline, built only for the exporters that are on. Metrics: the Retab.Runs meter, MassTransit's,
/// ASP.NET Core's, the runtime's and the process's. Traces (OTLP only): HTTP server spans, MassTransit's bus spans and
/// ours, so one trace runs from the request through the orchestrator to the worker and back.
/// </summary>
internal static class RunsTelemetry
{
    /// <summary>MassTransit's ActivitySource and Meter.</summary>
    private const string MassTransitSource = "MassTransit";

    public static void Add(IHostApplicationBuilder builder, string serviceName)
    {
        var configuration = builder.Configuration;
        var otlp = !string.IsNullOrWhiteSpace(configuration[ServiceSettings.OtlpEndpoint]);
        var prometheus = ServesPrometheus(builder);
        // Nothing exports, nothing is collected: a listening meter or tracer makes every message record (spans cost
        // several allocations per message) for nobody, on the run path.
        if (!otlp && !prometheus)
            return;

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration[ServiceSettings.OtelServiceName] ?? serviceName))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(RunsDiagnostics.Name, MassTransitSource)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddProcessInstrumentation();
                if (prometheus)
                    metrics.AddPrometheusExporter();
            });
        if (!otlp)
            return;
        // Traces only go over OTLP: Prometheus has no use for them, and tracing costs the most per message.
        telemetry
            .WithTracing(tracing => tracing
                .AddSource(MassTransitSource, RunsDiagnostics.Name)
                .AddAspNetCoreInstrumentation(options => options.Filter = http => !DefaultEndpoints.IsOperational(http.Request.Path)))
            .UseOtlpExporter();
    }

    /// <summary>
    /// <c>Metrics:Prometheus</c> on a host that serves HTTP. A generic host (orchestrator or worker without
    /// <c>Management:Urls</c>) has nowhere to serve <c>/metrics</c>, so it collects nothing for it either.
    /// </summary>
    public static bool ServesPrometheus(IHostApplicationBuilder builder) =>
        builder is WebApplicationBuilder && builder.Configuration.GetValue<bool>(ServiceSettings.Prometheus);
}
