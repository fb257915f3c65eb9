using System.Text.Json.Nodes;
using Retab.Runs.Core.Common;

namespace Retab.Runs.Core.Assertions.Evaluators;

/// <summary>
/// <c>similarity_gte</c>: passes iff score ≥ threshold.
/// <list type="bullet">
/// <item><c>levenshtein</c> (default): 1 − distance / max(len a, len b) over text elements, exact (case-sensitive);
/// two empty strings score 1.</item>
/// <item><c>embeddings</c>: the model's cosine similarity; no model → <c>model_unavailable</c>.</item>
/// </list>
/// A non-string target is compared through its canonical compact JSON text (keys sorted), so
/// <c>{"b":1,"a":2}</c> against the reference <c>{"a":2,"b":1}</c> scores 1.
/// </summary>
internal sealed class SimilarityEvaluator : IConditionEvaluator
{
    public const string Levenshtein = "levenshtein";
    public const string Embeddings = "embeddings";

    public async ValueTask<Verdict> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        var text = JsonValues.TryGetString(context.Actual, out var s) ? s : CanonicalJson.Serialize(context.Actual);
        var reference = context.StringField("reference");
        JsonValues.TryGetNumber(context.Field("threshold"), out var thresholdNumber);
        var threshold = thresholdNumber.Double;

        double score;
        if (MethodOf(context.Condition) == Embeddings)
        {
            if (context.Model is not { } model)
                return ModelCalls.Unavailable(context.Kind + " with method embeddings");
            var (value, blocked) = await ModelCalls.CallAsync(context.Kind, () => model.EmbeddingSimilarityAsync(text, reference, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (blocked is not null)
                return blocked;
            if (!double.IsFinite(value))
                return Verdict.Block(AssertionFailureCodes.ModelError, $"the model returned a similarity that is not a number ({JsonValues.Invariant(value)})");
            score = value;
        }
        else
        {
            score = TextMetrics.LevenshteinSimilarity(text, reference, cancellationToken);
        }

        return Verdict.Check(score >= threshold,
            () => $"similarity {Format(score)} is below the threshold {Format(threshold)}",
            new JsonObject { ["reference"] = reference },
            score);
    }

    public static string MethodOf(JsonObject condition) =>
        JsonValues.TryGetString(condition["method"], out var method) ? method : Levenshtein;

    private static string Format(double value) => value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
}
