using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Retab.Runs.Gateway.OpenApi.Transformers;

/// <summary>
/// Timestamps are written by <see cref="Core.Common.UtcTimestampConverter"/>; behind a custom converter the generator
/// knows only the format, so this states the type: a string, or null where the value is optional.
/// </summary>
internal sealed class TimestampSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(DateTimeOffset))
            schema.Type = JsonSchemaType.String;
        else if (type == typeof(DateTimeOffset?))
            schema.Type = JsonSchemaType.String | JsonSchemaType.Null;
        else
            return Task.CompletedTask;
        schema.Format = "date-time";
        schema.Pattern = null;
        return Task.CompletedTask;
    }
}
