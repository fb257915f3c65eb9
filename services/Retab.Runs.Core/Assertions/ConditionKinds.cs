namespace Retab.Runs.Core.Assertions;

/// <summary>The 21 values of a condition's <c>kind</c> discriminator (DESIGN §3.3).</summary>
public static class ConditionKinds
{
    public const string Exists = "exists";
    public const string NotExists = "not_exists";
    public const string EqualsKind = "equals";
    public const string NotEquals = "not_equals";
    public const string NumberCompare = "number_compare";
    public const string Contains = "contains";
    public const string NotContains = "not_contains";
    public const string ObjectContains = "object_contains";
    public const string ArrayContains = "array_contains";
    public const string MatchesRegex = "matches_regex";
    public const string JsonSchemaValid = "json_schema_valid";
    public const string SimilarityGte = "similarity_gte";
    public const string LlmJudgedAs = "llm_judged_as";
    public const string LlmNotJudgedAs = "llm_not_judged_as";
    public const string LengthCompare = "length_compare";
    public const string Between = "between";
    public const string StartsWith = "starts_with";
    public const string EndsWith = "ends_with";
    public const string AllItemsMatch = "all_items_match";
    public const string AnyItemMatches = "any_item_matches";
    public const string SplitIouGte = "split_iou_gte";

    /// <summary>All kinds, in the order of the design document (used in validation messages).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Exists, NotExists, EqualsKind, NotEquals, NumberCompare, Contains, NotContains, ObjectContains,
        ArrayContains, MatchesRegex, JsonSchemaValid, SimilarityGte, LlmJudgedAs, LlmNotJudgedAs,
        LengthCompare, Between, StartsWith, EndsWith, AllItemsMatch, AnyItemMatches, SplitIouGte,
    ];

    /// <summary>The only kinds that evaluate on an absent target; every other kind is blocked with <c>path_not_found</c>.</summary>
    public static bool AcceptsAbsentTarget(string kind) => kind is Exists or NotExists;
}
