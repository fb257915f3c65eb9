using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Retab.Runs.Models;

/// <summary>
/// Ready only while the model endpoint answers: one <c>GET {BaseUrl}/models</c>, which every OpenAI-compatible server
/// serves for free (a completion would cost money on every probe). Any answer short of a server error or a rejected key
/// counts as reachable, since some local servers do not list models; no retries, a short timeout of its own.
/// </summary>
public sealed class ModelEndpointHealthCheck(IHttpClientFactory clients, ModelOptions options) : IHealthCheck
{
    public const string Name = "model-endpoint";
    internal const string HttpClientName = "retab-runs-models-health";
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, options.BaseUrl!.TrimEnd('/') + "/models");
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        try
        {
            using var response = await clients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                    HealthCheckResult.Unhealthy($"The model endpoint rejects the key ({(int)response.StatusCode})."),
                >= HttpStatusCode.InternalServerError =>
                    HealthCheckResult.Unhealthy($"The model endpoint answers {(int)response.StatusCode}."),
                _ => HealthCheckResult.Healthy(),
            };
        }
        catch (Exception error) when (error is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The model endpoint does not answer.", error);
        }
    }
}

public static class ModelEndpointHealthCheckExtensions
{
    /// <summary>
    /// The model endpoint on <c>/health/ready</c>, only when <c>Models:BaseUrl</c> is set: a worker without one runs
    /// no model blocks and is ready without it.
    /// </summary>
    public static IServiceCollection AddModelEndpointHealthCheck(this IServiceCollection services, IConfiguration configuration)
    {
        var options = ModelOptions.Read(configuration);
        if (!options.IsConfigured)
            return services;
        services.AddHttpClient(ModelEndpointHealthCheck.HttpClientName, http => http.Timeout = ModelEndpointHealthCheck.Timeout);
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            ModelEndpointHealthCheck.Name,
            sp => new ModelEndpointHealthCheck(sp.GetRequiredService<IHttpClientFactory>(), options),
            failureStatus: HealthStatus.Unhealthy,
            tags: ["ready"]));
        return services;
    }
}
