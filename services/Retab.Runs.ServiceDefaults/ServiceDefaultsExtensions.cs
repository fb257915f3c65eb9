using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Retab.Runs.Messaging;

namespace Retab.Runs.ServiceDefaults;

/// <summary>One call per host gives every service the same telemetry, health endpoints and log format.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Telemetry (OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; Prometheus when <c>Metrics:Prometheus</c> is true
    /// and the host serves HTTP; nothing collected otherwise), the health check service the services add their ready
    /// checks to, the <see cref="Core.Observability.RunsMetrics"/> instruments, and <c>Logging:Format</c>.
    /// <c>OTEL_SERVICE_NAME</c> overrides <paramref name="serviceName"/>.
    /// </summary>
    public static TBuilder AddRunsServiceDefaults<TBuilder>(this TBuilder builder, string serviceName) where TBuilder : IHostApplicationBuilder
    {
        ConsoleLogFormat.Apply(builder);
        RunsTelemetry.Add(builder, serviceName);
        builder.Services.AddHealthChecks();
        builder.Services.AddRunsMetrics();
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c> (the process serves; no check), <c>/health/ready</c> (the checks tagged <c>ready</c>: 200
    /// <c>Healthy</c> or 503 <c>Unhealthy</c>, never a reason or a stack trace), and <c>/metrics</c> when Prometheus is on.
    /// </summary>
    public static WebApplication MapRunsDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(DefaultEndpoints.LivePath, new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(DefaultEndpoints.ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(DefaultEndpoints.ReadyTag) });
        if (app.Configuration.GetValue<bool>(ServiceSettings.Prometheus))
            app.MapPrometheusScrapingEndpoint(DefaultEndpoints.MetricsPath);
        return app;
    }
}
