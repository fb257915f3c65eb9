using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Retab.Runs.Gateway.OpenApi.Transformers;

/// <summary>
/// The health checks are middleware endpoints, which the generator does not see; they are written here as what they
/// are: public, <c>text/plain</c>, 200 <c>Healthy</c> or 503 <c>Unhealthy</c>.
/// </summary>
internal sealed class HealthPathsTransformer : IOpenApiDocumentTransformer
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Paths ??= [];
        document.Paths[LivePath] = Path("get_liveness", "Liveness", "The process serves requests; no dependency is checked.", withUnhealthy: false);
        document.Paths[ReadyPath] = Path("get_readiness", "Readiness", "The store answers.", withUnhealthy: true);
        document.Tags ??= new HashSet<OpenApiTag>();
        document.Tags.Add(new OpenApiTag { Name = Tag });
        return Task.CompletedTask;
    }

    private const string Tag = "Health";

    private static OpenApiPathItem Path(string operationId, string summary, string description, bool withUnhealthy)
    {
        var responses = new OpenApiResponses { ["200"] = Plain("Healthy") };
        if (withUnhealthy)
            responses["503"] = Plain("Unhealthy");
        return new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = operationId,
                    Summary = summary,
                    Description = description,
                    Tags = new HashSet<OpenApiTagReference> { new(Tag) },
                    Security = [],
                    Responses = responses,
                },
            },
        };
    }

    private static OpenApiResponse Plain(string body) => new()
    {
        Description = body,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [body] } },
        },
    };
}
