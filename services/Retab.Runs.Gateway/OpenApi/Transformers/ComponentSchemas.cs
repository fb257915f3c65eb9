using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Retab.Runs.Gateway.OpenApi.Transformers;

/// <summary>Finds the generated component schemas and their properties by name, for the transformers that refine them.</summary>
internal static class ComponentSchemas
{
    public static OpenApiSchema Component(OpenApiDocument document, string name) =>
        document.Components?.Schemas?.TryGetValue(name, out var schema) == true && schema is OpenApiSchema found
            ? found
            : throw new InvalidOperationException($"The OpenAPI document has no component schema '{name}'.");

    public static OpenApiSchema Property(OpenApiDocument document, string component, string property) =>
        Component(document, component).Properties?.TryGetValue(property, out var schema) == true && schema is OpenApiSchema found
            ? found
            : throw new InvalidOperationException($"The component schema '{component}' has no inline property '{property}'.");

    /// <summary>Restricts a string property to <paramref name="values"/>, keeping null where the property allows it.</summary>
    public static void Enumerate(OpenApiSchema schema, IEnumerable<string> values)
    {
        var nullable = schema.Type?.HasFlag(JsonSchemaType.Null) == true;
        schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
        if (nullable)
            schema.Enum.Add(null!);
    }
}
