using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Retab.Runs.Core.Assertions;

namespace Retab.Runs.Models;

/// <summary>
/// <c>llm_judged_as</c> / <c>llm_not_judged_as</c> through a structured judgement, and <c>similarity_gte</c> with
/// <c>method: embeddings</c> as the cosine of two embeddings. A judgement the model cannot express as JSON throws,
/// which the engine reports as <c>model_error</c>.
/// </summary>
internal sealed class ModelAssertionJudge(IChatClient chat, IEmbeddingGenerator<string, Embedding<float>> embeddings) : IAssertionModel
{
    private static readonly JsonObject JudgementSchema = new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["explanation"] = new JsonObject { ["type"] = "string" },
            ["label"] = new JsonObject { ["type"] = "string" },
            ["matches"] = new JsonObject { ["type"] = "boolean" },
        },
        ["required"] = new JsonArray("explanation", "label", "matches"),
        ["additionalProperties"] = false,
    };

    public async Task<LlmJudgement> JudgeAsync(string rubric, JsonNode? value, string? expectedLabel, CancellationToken cancellationToken)
    {
        var instructions = "You judge a value against a rubric. Answer with JSON: a short explanation, a one- or two-word label that " +
            "names your judgement, and whether the value matches the rubric." +
            (expectedLabel is null ? "" : $" Use the label \"{expectedLabel}\" exactly when the value deserves it.");
        var question = $"Rubric:\n{rubric}\n\nValue (JSON):\n{value?.ToJsonString() ?? "null"}";
        var reply = await chat.AskAsync([new ChatMessage(ChatRole.System, instructions), new ChatMessage(ChatRole.User, question)],
            JudgementSchema, "judgement", model: null, cancellationToken).ConfigureAwait(false);

        if (reply.Json is not JsonObject answer || answer["matches"] is not JsonValue matchesValue || !matchesValue.TryGetValue<bool>(out var matches))
            throw new InvalidOperationException($"the judgement is not the JSON asked for: {ModelText.Bounded(reply.Raw, 300)}");
        var label = answer["label"] is JsonValue l && l.TryGetValue<string>(out var text) ? text : null;
        var explanation = answer["explanation"] is JsonValue e && e.TryGetValue<string>(out var because) ? because : null;
        // With an expected label the label decides, so a rubric phrased as a category ("is it a complaint?") is judged by name.
        var judgedAs = expectedLabel is null ? matches : string.Equals(label?.Trim(), expectedLabel.Trim(), StringComparison.OrdinalIgnoreCase);
        return new LlmJudgement(judgedAs, label, explanation);
    }

    public async Task<double> EmbeddingSimilarityAsync(string text, string reference, CancellationToken cancellationToken)
    {
        var vectors = await embeddings.GenerateAsync([text, reference], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (vectors.Count != 2)
            throw new InvalidOperationException($"the embedding model returned {vectors.Count} vectors for 2 texts");
        return Cosine.Similarity(vectors[0].Vector.Span, vectors[1].Vector.Span);
    }
}
