using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Retab.Runs.Gateway.OpenApi.Bodies;

namespace Retab.Runs.Gateway.OpenApi.Transformers;

/// <summary>
/// Fields that hold arbitrary JSON. <c>JsonValue</c> is any value but null, so <c>oneOf [null, JsonValue]</c> — how the
/// generator writes an optional one — matches a null exactly once; left as <c>{}</c>, a null would match both. A JSON
/// schema is an object or a boolean, and a validation error's <c>loc</c> mixes names and indices.
/// </summary>
internal sealed class AnyValueSchemasTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var jsonValue = ComponentSchemas.Component(document, SchemaNames.Of(typeof(System.Text.Json.Nodes.JsonNode)));
        jsonValue.Type = null;
        jsonValue.Not = new OpenApiSchema { Type = JsonSchemaType.Null };
        jsonValue.Description = "Any JSON value; null only where a field says so.";

        ComponentSchemas.Component(document, nameof(JsonSchemaValidCondition)).Properties!["schema"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object | JsonSchemaType.Boolean,
            Description = "A JSON schema (an object or a boolean); an invalid or too complex one is a 422.",
        };

        var detail = ComponentSchemas.Property(document, SchemaNames.Of(typeof(Http.ApiErrors.ValidationBody)), "detail");
        var loc = (OpenApiSchema)((OpenApiSchema)detail.Items!).Properties!["loc"];
        loc.Items = new OpenApiSchema { AnyOf = [new OpenApiSchema { Type = JsonSchemaType.String }, new OpenApiSchema { Type = JsonSchemaType.Integer }] };
        loc.Description = "Where the problem is: `body` or `query`, then field names and list indices.";
        return Task.CompletedTask;
    }
}
