using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions;

/// <summary>
/// The model behind <c>llm_judged_as</c>, <c>llm_not_judged_as</c> and <c>similarity_gte</c> with
/// <c>method: embeddings</c>. The model-backed blocks supply the real client; with none configured
/// those conditions end blocked with <c>model_unavailable</c>.
/// </summary>
public interface IAssertionModel
{
    /// <summary>Asks the model whether <paramref name="value"/> satisfies <paramref name="rubric"/>; returns the label it chose and whether it judged the value as matching.</summary>
    Task<LlmJudgement> JudgeAsync(string rubric, JsonNode? value, string? expectedLabel, CancellationToken cancellationToken);

    /// <summary>Cosine similarity in [0, 1] of the embeddings of two texts.</summary>
    Task<double> EmbeddingSimilarityAsync(string text, string reference, CancellationToken cancellationToken);
}

public sealed record LlmJudgement(bool Matches, string? Label, string? Explanation);
