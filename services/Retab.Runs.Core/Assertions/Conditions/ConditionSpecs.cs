namespace Retab.Runs.Core.Assertions.Conditions;

/// <summary>How one field of a condition is checked.</summary>
internal enum FieldRule
{
    /// <summary>Any JSON value, null included.</summary>
    Any,
    Number,
    Integer,
    String,
    NonEmptyString,
    Boolean,
    Object,
    CompareOp,
    SimilarityMethod,
    RegexPattern,
    JsonSchema,
    /// <summary>A number in [0, 1] (thresholds).</summary>
    UnitInterval,
    /// <summary>A nested condition, validated recursively.</summary>
    Condition,
    /// <summary><c>{splits: [{name, pages: [int]}]}</c>.</summary>
    Splits,
}

/// <param name="Nullable">An explicit JSON null is accepted as "not given" (only for optional fields).</param>
internal sealed record FieldSpec(string Name, FieldRule Rule, bool Required = true, bool Nullable = false);

/// <summary>The fields each condition kind accepts besides <c>kind</c> (DESIGN §3.3). Anything else is <c>extra_forbidden</c>.</summary>
internal static class ConditionSpecs
{
    public static IReadOnlyDictionary<string, FieldSpec[]> ByKind { get; } = new Dictionary<string, FieldSpec[]>(StringComparer.Ordinal)
    {
        [ConditionKinds.Exists] = [],
        [ConditionKinds.NotExists] = [],
        [ConditionKinds.EqualsKind] = [new("expected", FieldRule.Any)],
        [ConditionKinds.NotEquals] = [new("expected", FieldRule.Any)],
        [ConditionKinds.NumberCompare] = [new("op", FieldRule.CompareOp), new("expected", FieldRule.Number)],
        [ConditionKinds.Contains] = [new("expected", FieldRule.Any)],
        [ConditionKinds.NotContains] = [new("expected", FieldRule.Any)],
        [ConditionKinds.ObjectContains] = [new("expected", FieldRule.Object)],
        [ConditionKinds.ArrayContains] = [new("expected", FieldRule.Any)],
        [ConditionKinds.MatchesRegex] = [new("pattern", FieldRule.RegexPattern)],
        [ConditionKinds.JsonSchemaValid] = [new("schema", FieldRule.JsonSchema)],
        [ConditionKinds.SimilarityGte] =
        [
            new("reference", FieldRule.String),
            new("threshold", FieldRule.UnitInterval),
            new("method", FieldRule.SimilarityMethod, Required: false),
        ],
        [ConditionKinds.LlmJudgedAs] = [new("rubric", FieldRule.NonEmptyString), new("expected_label", FieldRule.String, Required: false, Nullable: true)],
        [ConditionKinds.LlmNotJudgedAs] = [new("rubric", FieldRule.NonEmptyString), new("expected_label", FieldRule.String, Required: false, Nullable: true)],
        [ConditionKinds.LengthCompare] = [new("op", FieldRule.CompareOp), new("expected", FieldRule.Integer)],
        [ConditionKinds.Between] =
        [
            new("lower", FieldRule.Number),
            new("upper", FieldRule.Number),
            new("inclusive", FieldRule.Boolean, Required: false),
        ],
        [ConditionKinds.StartsWith] = [new("expected", FieldRule.String)],
        [ConditionKinds.EndsWith] = [new("expected", FieldRule.String)],
        [ConditionKinds.AllItemsMatch] = [new("condition", FieldRule.Condition)],
        [ConditionKinds.AnyItemMatches] = [new("condition", FieldRule.Condition)],
        [ConditionKinds.SplitIouGte] = [new("expected", FieldRule.Splits), new("threshold", FieldRule.UnitInterval, Required: false)],
    };

    public static IReadOnlyList<string> SimilarityMethods { get; } = ["levenshtein", "embeddings"];
}
