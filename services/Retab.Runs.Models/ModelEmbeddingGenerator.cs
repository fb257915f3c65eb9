using Microsoft.Extensions.AI;

namespace Retab.Runs.Models;

/// <summary>The embedding model of <c>Models:Embeddings</c>, with the same failure mapping as chat calls.</summary>
internal sealed class ModelEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, string model)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        ModelFailures.CallAsync(() => base.GenerateAsync(values, options, cancellationToken), model, cancellationToken);
}
