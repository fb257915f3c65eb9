using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Retab.Runs.Gateway.OpenApi.Transformers;

/// <summary>The <c>Idempotency-Key</c> header of the POSTs behind <see cref="Http.IdempotencyFilter"/> (its errors: <see cref="EndpointErrors"/>).</summary>
internal sealed class IdempotencyKeyTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (EndpointMetadata.Get<IdempotentPosts>(context.Description) is null || !HttpMethods.IsPost(context.Description.HttpMethod ?? ""))
            return Task.CompletedTask;
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Idempotency-Key",
            In = ParameterLocation.Header,
            Description = "Sending the same key with the same body within 24 hours replays the first answer instead of acting again; "
                + "the same key with another body is a 409 (`idempotency_key_reused`). At most 255 characters.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
        });
        return Task.CompletedTask;
    }
}
