using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Retab.Runs.Gateway.OpenApi.Transformers;

/// <summary>Adds the <see cref="QueryParameter"/>s a route declares (the handlers read the query themselves, so the framework sees none).</summary>
internal sealed class QueryParametersTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in EndpointMetadata.All<QueryParameter>(context.Description))
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = parameter.Name,
                In = ParameterLocation.Query,
                Required = parameter.Required,
                Description = parameter.Description,
                Schema = SchemaOf(parameter),
            });
        }
        return Task.CompletedTask;
    }

    private static OpenApiSchema SchemaOf(QueryParameter parameter)
    {
        var schema = new OpenApiSchema
        {
            Type = parameter.Kind switch
            {
                QueryValueKind.Integer => JsonSchemaType.Integer,
                QueryValueKind.Boolean => JsonSchemaType.Boolean,
                _ => JsonSchemaType.String,
            },
            Minimum = parameter.Minimum?.ToString(CultureInfo.InvariantCulture),
            Maximum = parameter.Maximum?.ToString(CultureInfo.InvariantCulture),
        };
        if (parameter.Values is { } values)
            schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
        if (parameter.Default is { } value)
            schema.Default = parameter.Kind switch
            {
                QueryValueKind.Integer => JsonValue.Create(int.Parse(value, CultureInfo.InvariantCulture)),
                QueryValueKind.Boolean => JsonValue.Create(bool.Parse(value)),
                _ => JsonValue.Create(value),
            };
        return schema;
    }
}
