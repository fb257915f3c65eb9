using Microsoft.AspNetCore.Http;

namespace Retab.Runs.ServiceDefaults;

/// <summary>The paths every service serves outside <c>/v1</c>: public, no API key.</summary>
public static class DefaultEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string MetricsPath = "/metrics";

    /// <summary>The tag of the checks <see cref="ReadyPath"/> runs (store, broker, model endpoint, as the service has them).</summary>
    public const string ReadyTag = "ready";

    /// <summary>Requests an operator's tooling repeats every few seconds: no span, no HTTP metric noise for them.</summary>
    internal static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments(MetricsPath);
}
