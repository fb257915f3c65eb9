using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions.Evaluators;

/// <summary>
/// The parts of an assertion result that come from the condition alone (expected_value, threshold, metric_kind),
/// so they are filled the same way whatever the outcome, blocked ones included.
/// </summary>
internal static class ConditionFacts
{
    /// <summary>What the value is compared with, deep-cloned; null for exists / not_exists.</summary>
    public static JsonNode? ExpectedValue(string kind, JsonObject condition) => kind switch
    {
        ConditionKinds.Exists or ConditionKinds.NotExists => null,
        ConditionKinds.MatchesRegex => condition["pattern"]?.DeepClone(),
        ConditionKinds.JsonSchemaValid => condition["schema"]?.DeepClone(),
        ConditionKinds.SimilarityGte => condition["reference"]?.DeepClone(),
        ConditionKinds.LlmJudgedAs or ConditionKinds.LlmNotJudgedAs => new JsonObject
        {
            ["rubric"] = condition["rubric"]?.DeepClone(),
            ["expected_label"] = condition["expected_label"]?.DeepClone(),
        },
        ConditionKinds.Between => new JsonObject
        {
            ["lower"] = condition["lower"]?.DeepClone(),
            ["upper"] = condition["upper"]?.DeepClone(),
            ["inclusive"] = condition["inclusive"]?.DeepClone() ?? true,
        },
        ConditionKinds.AllItemsMatch or ConditionKinds.AnyItemMatches => condition["condition"]?.DeepClone(),
        _ => condition["expected"]?.DeepClone(),
    };

    public static double? Threshold(string kind, JsonObject condition) => kind switch
    {
        ConditionKinds.SimilarityGte => JsonValues.TryGetNumber(condition["threshold"], out var t) ? t.Double : null,
        ConditionKinds.SplitIouGte => SplitIouEvaluator.Threshold(condition),
        _ => null,
    };

    public static string? MetricKind(string kind, JsonObject condition) => kind switch
    {
        ConditionKinds.SimilarityGte => SimilarityEvaluator.MethodOf(condition),
        ConditionKinds.SplitIouGte => SplitIouEvaluator.MetricKind,
        _ => null,
    };
}
