namespace Retab.Runs.ServiceDefaults;

/// <summary>The settings the service defaults read, in configuration form (environment: <c>Metrics__Prometheus</c>).</summary>
public static class ServiceSettings
{
    /// <summary>Bool, default false: serve <c>GET /metrics</c> in Prometheus text format.</summary>
    public const string Prometheus = "Metrics:Prometheus";

    /// <summary>The orchestrator's and worker's health and metrics listener (e.g. <c>http://+:8080</c>); unset, no listener.</summary>
    public const string ManagementUrls = "Management:Urls";

    /// <summary><c>simple</c> (default) or <c>json</c>: the console log format.</summary>
    public const string LogFormat = "Logging:Format";

    /// <summary>The standard OpenTelemetry variable: set, traces, metrics and logs leave over OTLP.</summary>
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The standard OpenTelemetry variable that overrides a service's own name.</summary>
    public const string OtelServiceName = "OTEL_SERVICE_NAME";
}
