namespace Retab.Runs.Core.Assertions.Evaluators;

/// <summary>kind → evaluator, one entry per condition kind.</summary>
internal static class ConditionEvaluators
{
    public static IReadOnlyDictionary<string, IConditionEvaluator> ByKind { get; } = new Dictionary<string, IConditionEvaluator>(StringComparer.Ordinal)
    {
        [ConditionKinds.Exists] = new PresenceEvaluator(negate: false),
        [ConditionKinds.NotExists] = new PresenceEvaluator(negate: true),
        [ConditionKinds.EqualsKind] = new EqualityEvaluator(negate: false),
        [ConditionKinds.NotEquals] = new EqualityEvaluator(negate: true),
        [ConditionKinds.NumberCompare] = new NumberCompareEvaluator(),
        [ConditionKinds.Contains] = new ContainsEvaluator(negate: false),
        [ConditionKinds.NotContains] = new ContainsEvaluator(negate: true),
        [ConditionKinds.ObjectContains] = new ObjectContainsEvaluator(),
        [ConditionKinds.ArrayContains] = new ArrayContainsEvaluator(),
        [ConditionKinds.MatchesRegex] = new RegexEvaluator(),
        [ConditionKinds.JsonSchemaValid] = new JsonSchemaEvaluator(),
        [ConditionKinds.SimilarityGte] = new SimilarityEvaluator(),
        [ConditionKinds.LlmJudgedAs] = new LlmJudgeEvaluator(negate: false),
        [ConditionKinds.LlmNotJudgedAs] = new LlmJudgeEvaluator(negate: true),
        [ConditionKinds.LengthCompare] = new LengthCompareEvaluator(),
        [ConditionKinds.Between] = new BetweenEvaluator(),
        [ConditionKinds.StartsWith] = new AffixEvaluator(atStart: true),
        [ConditionKinds.EndsWith] = new AffixEvaluator(atStart: false),
        [ConditionKinds.AllItemsMatch] = new ItemsEvaluator(all: true),
        [ConditionKinds.AnyItemMatches] = new ItemsEvaluator(all: false),
        [ConditionKinds.SplitIouGte] = new SplitIouEvaluator(),
    };
}
