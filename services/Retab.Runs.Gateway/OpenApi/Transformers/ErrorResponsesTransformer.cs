using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Retab.Runs.Gateway.Http;

namespace Retab.Runs.Gateway.OpenApi.Transformers;

/// <summary>
/// Writes every error an operation can answer (<see cref="EndpointErrors"/>) with its body: <c>ErrorBody</c> or
/// <c>HTTPValidationError</c>, or a <c>oneOf</c> of both where one status has both (a run's scope that selects no
/// test is a 422 with a code). The description names the <c>detail.code</c> values.
/// </summary>
internal sealed class ErrorResponsesTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var errors = EndpointErrors.Of(context.Description, operation).GroupBy(e => e.Status).OrderBy(g => g.Key).ToList();
        if (errors.Count == 0)
            return;
        operation.Responses ??= [];
        foreach (var status in errors)
        {
            var shapes = status.Select(e => e.Shape).Distinct().Order().ToList();
            var schemas = new List<IOpenApiSchema>();
            foreach (var shape in shapes)
                schemas.Add(await ReferenceAsync(shape, context, cancellationToken));
            var response = new OpenApiResponse
            {
                Description = Describe(status.Key, shapes, status.SelectMany(e => e.Codes).Distinct().ToList()),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [RouteDocumentation.Json] = new() { Schema = schemas.Count == 1 ? schemas[0] : new OpenApiSchema { OneOf = schemas } },
                },
            };
            if (status.Key == StatusCodes.Status429TooManyRequests)
                response.Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before retrying.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
                };
            operation.Responses[status.Key.ToString(CultureInfo.InvariantCulture)] = response;
        }
    }

    private static async Task<IOpenApiSchema> ReferenceAsync(ErrorShape shape, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var type = shape == ErrorShape.Detail ? typeof(ApiErrors.ErrorBody) : typeof(ApiErrors.ValidationBody);
        var id = SchemaNames.Of(type);
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(id) != true)
            document.AddComponent(id, await context.GetOrCreateSchemaAsync(type, null, cancellationToken));
        return new OpenApiSchemaReference(id, document);
    }

    private static string Describe(int status, IReadOnlyList<ErrorShape> shapes, IReadOnlyList<string> codes)
    {
        var parts = new List<string> { ReasonPhrases.GetReasonPhrase(status) + "." };
        if (shapes.Contains(ErrorShape.Validation))
            parts.Add("`detail` lists every invalid field of the body or query at once (FastAPI's shape).");
        if (codes.Count > 0)
            parts.Add((shapes.Count > 1 ? "Or `detail.code`: " : "`detail.code`: ") + string.Join(", ", codes.Select(c => $"`{c}`")) + ".");
        return string.Join(" ", parts);
    }
}
