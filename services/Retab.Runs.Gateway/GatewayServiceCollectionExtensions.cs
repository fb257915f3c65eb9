using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http.Json;
using Retab.Runs.Core.Comparisons;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Flakiness;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Gateway.Apis;
using Retab.Runs.Gateway.Auth;
using Retab.Runs.Gateway.Dashboard;
using Retab.Runs.Gateway.Files;
using Retab.Runs.Gateway.Hosting;
using Retab.Runs.Gateway.Http;
using Retab.Runs.Gateway.Streams;
using Retab.Runs.Gateway.OpenApi;
using Retab.Runs.Messaging;
using Retab.Runs.Storage;
using Retab.Runs.Webhooks;

namespace Retab.Runs.Gateway;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>The HTTP API's services: JSON conventions, auth, read models, OpenAPI, health. Needs a store and the bus.</summary>
    public static IServiceCollection AddRunGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRunAuth(configuration);
        services.AddServiceLimits(configuration);
        services.AddBusPublishing(configuration);
        services.AddRunsMetrics();
        services.AddSingleton<RequestBodies>();
        services.AddRequestRateLimits();
        services.AddStartupFailureReport();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RunPlanLoader>();
        services.TryAddSingleton<RunComparer>();
        services.AddSingleton<ReadModels>();
        services.AddOptions<FlakyOptions>()
            .Bind(configuration.GetSection(FlakyOptions.Section))
            .Validate(options =>
            {
                options.Validate();
                return true;
            })
            .ValidateOnStart();
        services.AddSingleton(provider => new RunEventStream(
            provider.GetRequiredService<IRunStore>(),
            provider.GetRequiredService<ReadModels>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions,
            provider.GetRequiredService<IHostApplicationLifetime>()));
        services.AddOptions<FilesOptions>().Bind(configuration.GetSection(FilesOptions.Section));
        services.AddSingleton<UrlSigner>();
        services.AddSingleton<FileIngest>();
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.Section));
        services.AddHostedService<ApiKeySeeder>();
        services.AddWebhookTargets(configuration);
        services.ConfigureHttpJsonOptions(options =>
        {
            var json = options.SerializerOptions;
            json.PropertyNamingPolicy = PublicJson.Options.PropertyNamingPolicy;
            json.DictionaryKeyPolicy = null;
            json.MaxDepth = PublicJson.Options.MaxDepth;
            foreach (var converter in PublicJson.Options.Converters)
                json.Converters.Add(converter);
            // No handler binds a body through these options (BodyReader reads them), and writing is the same either
            // way; strict numbers keep the OpenAPI document, generated from these options, from typing every count
            // as "integer or numeric string".
            json.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddRunOpenApi();
        services.AddStoreHealthCheck();
        return services;
    }

    /// <summary>
    /// Maps <c>/v1</c> (behind API keys), the OpenAPI document and its reference page, and the dashboard at <c>/</c>.
    /// Health and <c>/metrics</c> are every service's: the host maps them with <c>MapRunsDefaultEndpoints</c>.
    /// </summary>
    public static WebApplication MapRunGateway(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = WriteUnexpectedErrorAsync,
            // A client's mistake is not the service's failure: no "unhandled exception" error with a stack trace for it.
            SuppressDiagnosticsCallback = context => IsClientError(context.Exception),
        });
        app.UseStatusCodePages(context => WriteBareStatusAsync(context.HttpContext));
        app.MapRunOpenApi();

        app.UseRateLimiter();
        var v1 = app.MapGroup("/v1")
            .RequireRateLimiting(RequestRateLimits.PerKeyPolicy)
            .AddEndpointFilter<ApiKeyFilter>()
            .AddEndpointFilter<IdempotencyFilter>()
            .WithMetadata(EndpointSecurity.ApiKey, IdempotentPosts.Instance);
        v1.MapWorkflowsApi().MapTestsApi().MapTestRunsApi().MapRunComparisonApi().MapResultsApi().MapFilesApi().MapWebhooksApi();
        app.MapFileTransfers();
        app.MapAdminApi();
        app.MapDashboard();
        return app;
    }

    private static bool IsClientError(Exception error) => error is BadHttpRequestException or DocumentTooLargeException;

    /// <summary>
    /// Routing answers an unknown path (404) or a known path with the wrong method (405) without a body; clients
    /// parse <c>detail</c> on every error, so those get it too.
    /// </summary>
    private static Task WriteBareStatusAsync(HttpContext http)
    {
        var (code, message) = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => ("not_found", $"No route {http.Request.Path} exists."),
            StatusCodes.Status405MethodNotAllowed => ("method_not_allowed", $"{http.Request.Method} is not allowed on {http.Request.Path}."),
            StatusCodes.Status415UnsupportedMediaType => ("unsupported_media_type", "This route does not accept that content type."),
            _ => ("http_" + http.Response.StatusCode, "The request could not be served."),
        };
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new ApiErrors.ErrorBody(new ApiErrors.ErrorDetail(code, message)), PublicJson.Options));
    }

    /// <summary>Never a stack trace in a body: a request the framework rejects keeps its 4xx, anything else is a bare 500.</summary>
    private static Task WriteUnexpectedErrorAsync(HttpContext http)
    {
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        var (status, code, message) = error switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => RequestBodies.Of(http).TooLargeDetail(),
            BadHttpRequestException bad => (bad.StatusCode, "bad_request", bad.Message),
            // The edge's limits keep documents under the store's; one that still does not fit is too large, not a fault.
            DocumentTooLargeException tooLarge => (StatusCodes.Status413PayloadTooLarge, "document_too_large", tooLarge.Message),
            _ => (StatusCodes.Status500InternalServerError, "internal_error", "An unexpected error occurred; it has been logged."),
        };
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new ApiErrors.ErrorBody(new ApiErrors.ErrorDetail(code, message)), PublicJson.Options));
    }
}
