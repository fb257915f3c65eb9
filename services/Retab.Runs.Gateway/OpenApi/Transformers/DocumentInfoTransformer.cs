using System.Reflection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Retab.Runs.Gateway.OpenApi.Transformers;

/// <summary>The document's title, version and security schemes; an API key is the default for every operation.</summary>
internal sealed class DocumentInfoTransformer : IOpenApiDocumentTransformer
{
    public const string Title = "Retab Runs API";

    private const string Description =
        "Retab-compatible workflow tests: workflows and their drafts, saved block tests, test runs and their results, files. " +
        "JSON with snake_case names, ISO-8601 UTC timestamps and lower snake_case enums. Errors are `{\"detail\": {\"code\", \"message\"}}`; " +
        "an invalid body or query is a 422 in FastAPI's shape, `{\"detail\": [{\"loc\", \"msg\", \"type\"}]}`, listing every problem at once.";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo { Title = Title, Version = Version, Description = Description };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [EndpointSecurity.ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "Api-Key",
                Description = "An API key of your organization.",
            },
            [EndpointSecurity.BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer",
                Description = "An API key of your organization as `Authorization: Bearer <key>` (what Retab's Python SDK sends).",
            },
            [EndpointSecurity.AdminKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "Admin-Key",
                Description = "The operator's admin key (`Auth:AdminKey`); never an API key.",
            },
            [EndpointSecurity.AdminBearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer",
                Description = "The operator's admin key as `Authorization: Bearer <key>`.",
            },
        };
        document.Security = [.. EndpointSecurity.ApiKey.SchemeIds.Select(id => SecurityTransformer.Requirement(id, document))];
        return Task.CompletedTask;
    }

    /// <summary>The build's version: the v1 surface plus the commit it was built from, when the build records one.</summary>
    private static string Version { get; } =
        typeof(DocumentInfoTransformer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0";
}
