using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Retab.Runs.Gateway.OpenApi.Bodies;

namespace Retab.Runs.Gateway.OpenApi.Transformers;

/// <summary>
/// Where the generator's nullability is not the API's. A C# record says "optional" only with a nullable default, which
/// the generator writes as <c>oneOf [null, …]</c>, yet some fields may be left out but not sent as null (the handlers
/// answer a 422). And a nullable discriminated union loses its null, though the API accepts it.
/// </summary>
internal sealed class NullabilityTransformer : IOpenApiDocumentTransformer
{
    private static readonly (string Component, string Property)[] NeverNull =
    [
        (nameof(UpdateWorkflowTestRequest), "assertion"),
        (nameof(UpdateWorkflowTestRequest), "source"),
    ];

    private static readonly (string Component, string Property)[] NullAllowed =
    [
        (nameof(CreateWorkflowTestRunRequest), "scope"),
    ];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var (component, property) in NeverNull)
        {
            var properties = ComponentSchemas.Component(document, component).Properties!;
            if (properties[property] is OpenApiSchema { OneOf.Count: 2 } wrapper && wrapper.OneOf.Any(IsNull))
                properties[property] = wrapper.OneOf.Single(s => !IsNull(s));
        }
        foreach (var (component, property) in NullAllowed)
        {
            var properties = ComponentSchemas.Component(document, component).Properties!;
            var schema = properties[property];
            if (schema.Type?.HasFlag(JsonSchemaType.Null) != true && schema.OneOf?.Any(IsNull) != true)
                properties[property] = new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, schema] };
        }
        return Task.CompletedTask;
    }

    private static bool IsNull(IOpenApiSchema schema) => schema.Type == JsonSchemaType.Null;
}
