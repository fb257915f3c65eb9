using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Retab.Runs.Gateway.OpenApi.Bodies;
using Retab.Runs.Gateway.Responses;

namespace Retab.Runs.Gateway.OpenApi.Transformers;

/// <summary>
/// A test is read back with the <c>source</c> and the assertion's <c>condition</c> it was created with, kept as JSON
/// objects after validation: the responses describe them with the same unions as the request bodies.
/// </summary>
internal sealed class EchoedRequestShapesTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var source = ComponentSchemas.Property(document, nameof(CreateWorkflowTestRequest), "source");
        ComponentSchemas.Component(document, nameof(TestResponse)).Properties!["source"] = source;
        var condition = ComponentSchemas.Property(document, nameof(AssertionSpec), "condition");
        ComponentSchemas.Component(document, nameof(Core.Assertions.Assertion)).Properties!["condition"] = condition;
        return Task.CompletedTask;
    }
}
