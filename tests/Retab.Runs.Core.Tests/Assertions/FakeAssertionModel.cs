using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;

namespace Retab.Runs.Core.Tests.Assertions;

/// <summary>
/// A deterministic stand-in for the model: a value "matches" a rubric when its compact JSON contains the
/// rubric text (case-insensitive); the embedding similarity is a fixed number. Records every call.
/// </summary>
public sealed class FakeAssertionModel : IAssertionModel
{
    private static readonly System.Text.Json.JsonSerializerOptions Readable = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public double Similarity { get; init; } = 0.9;

    /// <summary>When set, every call throws it (to test model_error).</summary>
    public Exception? Throws { get; init; }

    public List<(string Rubric, string? Value, string? ExpectedLabel)> JudgeCalls { get; } = [];

    public List<(string Text, string Reference)> EmbeddingCalls { get; } = [];

    public Task<LlmJudgement> JudgeAsync(string rubric, JsonNode? value, string? expectedLabel, CancellationToken cancellationToken)
    {
        var text = value?.ToJsonString(Readable);
        JudgeCalls.Add((rubric, text, expectedLabel));
        if (Throws is not null)
            throw Throws;
        var matches = (text ?? "null").Contains(rubric, StringComparison.OrdinalIgnoreCase);
        return Task.FromResult(new LlmJudgement(matches, matches ? expectedLabel ?? "match" : "other", $"looked for '{rubric}'"));
    }

    public Task<double> EmbeddingSimilarityAsync(string text, string reference, CancellationToken cancellationToken)
    {
        EmbeddingCalls.Add((text, reference));
        if (Throws is not null)
            throw Throws;
        return Task.FromResult(Similarity);
    }
}
