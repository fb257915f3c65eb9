using Microsoft.AspNetCore.OpenApi;
using Retab.Runs.Gateway.OpenApi.Transformers;
using Scalar.AspNetCore;

namespace Retab.Runs.Gateway.OpenApi;

/// <summary>The OpenAPI document of the service (<c>/openapi/v1.json</c>) and a browsable reference of it (<c>/reference</c>).</summary>
public static class RunOpenApi
{
    public const string DocumentName = "v1";
    public const string DocumentPattern = "/openapi/{documentName}.json";
    public const string ReferencePath = "/reference";

    public static IServiceCollection AddRunOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.CreateSchemaReferenceId = SchemaNames.ReferenceIdOf;
            options.AddSchemaTransformer<TimestampSchemaTransformer>();
            options.AddOperationTransformer<SecurityTransformer>();
            options.AddOperationTransformer<QueryParametersTransformer>();
            options.AddOperationTransformer<IdempotencyKeyTransformer>();
            options.AddOperationTransformer<ErrorResponsesTransformer>();
            options.AddDocumentTransformer<DocumentInfoTransformer>();
            options.AddDocumentTransformer<HealthPathsTransformer>();
            options.AddDocumentTransformer<AnyValueSchemasTransformer>();
            options.AddDocumentTransformer<EnumSchemasTransformer>();
            options.AddDocumentTransformer<NullabilityTransformer>();
            options.AddDocumentTransformer<EchoedRequestShapesTransformer>();
        });

    public static WebApplication MapRunOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentPattern);
        // The page is served from the package's own files; nothing is sent to Scalar's services.
        app.MapScalarApiReference(ReferencePath, options => options
            .WithTitle(DocumentInfoTransformer.Title)
            .WithOpenApiRoutePattern(DocumentPattern)
            .ShowOperationId()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp());
        return app;
    }
}
