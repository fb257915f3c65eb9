using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Runs;
using Retab.Runs.Gateway.Apis;
using Retab.Runs.Gateway.Auth;
using Retab.Runs.Gateway.Files;
using Retab.Runs.Gateway.Http;

namespace Retab.Runs.Gateway;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>The HTTP API's services: JSON conventions, auth, read models, OpenAPI, health. Needs a store and the bus.</summary>
    public static IServiceCollection AddRunGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRunAuth(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RunPlanLoader>();
        services.AddSingleton<ReadModels>();
        services.AddOptions<FilesOptions>().Bind(configuration.GetSection(FilesOptions.Section));
        services.AddSingleton<UrlSigner>();
        services.AddSingleton<FileIngest>();
        services.AddHostedService<ApiKeySeeder>();
        services.ConfigureHttpJsonOptions(options =>
        {
            var json = options.SerializerOptions;
            json.PropertyNamingPolicy = PublicJson.Options.PropertyNamingPolicy;
            json.DictionaryKeyPolicy = null;
            foreach (var converter in PublicJson.Options.Converters)
                json.Converters.Add(converter);
        });
        services.AddOpenApi();
        services.AddProblemDetails();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: ["ready"]);
        return services;
    }

    /// <summary>Maps <c>/v1</c> (behind API keys), health and the OpenAPI document.</summary>
    public static WebApplication MapRunGateway(this WebApplication app)
    {
        app.UseExceptionHandler(errors => errors.Run(WriteUnexpectedErrorAsync));
        app.MapOpenApi();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

        var v1 = app.MapGroup("/v1")
            .AddEndpointFilter<ApiKeyFilter>()
            .AddEndpointFilter<IdempotencyFilter>();
        v1.MapWorkflowsApi().MapTestsApi().MapTestRunsApi().MapResultsApi().MapFilesApi();
        app.MapFileTransfers();
        app.MapAdminApi();
        return app;
    }

    /// <summary>Never a stack trace in a body: a request the framework rejects keeps its 4xx, anything else is a bare 500.</summary>
    private static Task WriteUnexpectedErrorAsync(HttpContext http)
    {
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        var (status, code, message) = error is BadHttpRequestException bad
            ? (bad.StatusCode, "bad_request", bad.Message)
            : (StatusCodes.Status500InternalServerError, "internal_error", "An unexpected error occurred; it has been logged.");
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new ApiErrors.ErrorBody(new ApiErrors.ErrorDetail(code, message)), PublicJson.Options));
    }
}
