using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Retab.Runs.Gateway.OpenApi.Transformers;

/// <summary>
/// Each operation's security from its <see cref="EndpointSecurity"/>: any one of the named schemes; a public route
/// (signed URLs) gets an explicit empty list, which overrides the document's default (an API key).
/// </summary>
internal sealed class SecurityTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var security = EndpointMetadata.Get<EndpointSecurity>(context.Description);
        if (security is null)
            return Task.CompletedTask;
        operation.Security = [.. security.SchemeIds.Select(id => Requirement(id, context.Document))];
        if (security.Note is { } note)
            operation.Description = string.IsNullOrEmpty(operation.Description) ? note : $"{operation.Description}\n\n{note}";
        return Task.CompletedTask;
    }

    public static OpenApiSecurityRequirement Requirement(string schemeId, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(schemeId, document)] = [] };
}
