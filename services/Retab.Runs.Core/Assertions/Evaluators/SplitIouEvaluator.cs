using System.Globalization;
using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions.Evaluators;

/// <summary>
/// <c>split_iou_gte</c>: compares a split block's output with the expected splits.
/// <para>
/// Formula: for each expected split e, a = the actual split with the same name (ordinal), and
/// IoU(e) = |pages(e) ∩ pages(a)| / |pages(e) ∪ pages(a)| over sets of page numbers (duplicates ignored),
/// with IoU = 0 when no actual split has that name and IoU = 1 when both page sets are empty.
/// score = the mean of IoU(e) over the expected splits; passed iff score ≥ threshold (default 1, i.e. exact).
/// </para>
/// Actual splits that are not expected do not lower the score; several actual splits with one name are
/// merged (union of their pages). The target is <c>{splits: [...]}</c> or the splits array itself; anything
/// else, or a split without a string name and an array of integer pages, is a type error.
/// </summary>
internal sealed class SplitIouEvaluator : IConditionEvaluator
{
    public const string MetricKind = "split_iou";

    public ValueTask<Verdict> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        var splitsNode = context.Actual is JsonObject obj ? obj["splits"] : context.Actual;
        if (!TryReadSplits(splitsNode, out var actual, out var problem))
        {
            return ValueTask.FromResult(Verdict.Block(AssertionFailureCodes.TypeError,
                $"{context.Kind} needs {{\"splits\": [{{\"name\", \"pages\": [int]}}]}} or the splits array: {problem}",
                new JsonObject { ["actual_type"] = JsonValues.TypeName(context.Actual) }));
        }
        // Validated at creation time: same shape, at least one split, distinct names.
        TryReadSplits(((JsonObject)context.Field("expected")!)["splits"], out var expected, out _);
        var threshold = Threshold(context.Condition);

        var perSplit = new JsonObject();
        var total = 0.0;
        foreach (var (name, pages) in expected)
        {
            var iou = actual.TryGetValue(name, out var actualPages) ? Iou(pages, actualPages) : 0.0;
            perSplit[name] = iou;
            total += iou;
        }
        var score = expected.Count == 0 ? 1.0 : total / expected.Count;
        return ValueTask.FromResult(Verdict.Check(score >= threshold,
            () => $"split IoU {score.ToString("0.####", CultureInfo.InvariantCulture)} is below the threshold {threshold.ToString("0.####", CultureInfo.InvariantCulture)}",
            new JsonObject { ["per_split"] = perSplit },
            score));
    }

    public static double Threshold(JsonObject condition) =>
        JsonValues.TryGetNumber(condition["threshold"], out var threshold) ? threshold.Double : 1.0;

    public static double Iou(HashSet<long> left, HashSet<long> right)
    {
        var union = left.Union(right).Count();
        return union == 0 ? 1.0 : (double)left.Intersect(right).Count() / union;
    }

    private static bool TryReadSplits(JsonNode? node, out Dictionary<string, HashSet<long>> splits, out string problem)
    {
        splits = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
        problem = "";
        if (node is not JsonArray array)
        {
            problem = $"found {JsonValues.TypeName(node)} instead of a splits array";
            return false;
        }
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject split || !JsonValues.TryGetString(split["name"], out var name) || split["pages"] is not JsonArray pages)
            {
                problem = $"split {i} is not an object with a string name and a pages array";
                return false;
            }
            if (!splits.TryGetValue(name, out var set))
                splits[name] = set = [];
            foreach (var page in pages)
            {
                if (!JsonValues.TryGetInteger(page, out var number))
                {
                    problem = $"split {i} has a page that is not an integer: {JsonValues.Render(page, 40)}";
                    return false;
                }
                set.Add(number);
            }
        }
        return true;
    }
}
