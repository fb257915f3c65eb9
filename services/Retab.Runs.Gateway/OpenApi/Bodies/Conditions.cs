using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Retab.Runs.Gateway.OpenApi.Bodies;

/// <summary>
/// The 21 condition kinds of DESIGN §3.3, under Retab's SDK names, discriminated by <c>kind</c>. What the API accepts
/// is <c>ConditionValidator</c> (Core): these records only describe it, and the acceptance tests check every kind's
/// description against what the API accepts.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ExistCondition), "exists")]
[JsonDerivedType(typeof(NotExistsCondition), "not_exists")]
[JsonDerivedType(typeof(EqualCondition), "equals")]
[JsonDerivedType(typeof(NotEqualsCondition), "not_equals")]
[JsonDerivedType(typeof(NumberCompareCondition), "number_compare")]
[JsonDerivedType(typeof(ContainCondition), "contains")]
[JsonDerivedType(typeof(NotContainsCondition), "not_contains")]
[JsonDerivedType(typeof(ObjectContainsCondition), "object_contains")]
[JsonDerivedType(typeof(ArrayContainsCondition), "array_contains")]
[JsonDerivedType(typeof(MatcheRegexCondition), "matches_regex")]
[JsonDerivedType(typeof(JsonSchemaValidCondition), "json_schema_valid")]
[JsonDerivedType(typeof(SimilarityGteCondition), "similarity_gte")]
[JsonDerivedType(typeof(LlmJudgedAsCondition), "llm_judged_as")]
[JsonDerivedType(typeof(LlmNotJudgedAsCondition), "llm_not_judged_as")]
[JsonDerivedType(typeof(LengthCompareCondition), "length_compare")]
[JsonDerivedType(typeof(BetweenCondition), "between")]
[JsonDerivedType(typeof(StartWithCondition), "starts_with")]
[JsonDerivedType(typeof(EndsWithCondition), "ends_with")]
[JsonDerivedType(typeof(AllItemsMatchCondition), "all_items_match")]
[JsonDerivedType(typeof(AnyItemMatchesCondition), "any_item_matches")]
[JsonDerivedType(typeof(SplitIouCondition), "split_iou_gte")]
[Description("What the assertion checks about the target value, by `kind`. Any kind other than `exists` and `not_exists` is blocked (`path_not_found`) on an absent target.")]
public abstract record AssertionCondition;

[Description("Passes when the target is present (a missing key, an index out of range or a walk through null is absent).")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ExistCondition : AssertionCondition;

[Description("Passes when the target is absent.")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record NotExistsCondition : AssertionCondition;

[Description("Strict deep JSON equality (`true` ≠ `1`, `1` = `1.0`), ignoring object keys that start with `reasoning___`.")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EqualCondition([property: Description("Any JSON value, null included.")] JsonNode? Expected) : AssertionCondition;

[Description("The negation of `equals`.")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record NotEqualsCondition([property: Description("Any JSON value, null included.")] JsonNode? Expected) : AssertionCondition;

[Description("Compares a number: actual `op` expected. A non-number target is blocked (`type_error`).")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record NumberCompareCondition(ConditionCompareOp Op, double Expected) : AssertionCondition;

[Description("A substring of a string, a deep-equal element of an array, or a key of an object.")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ContainCondition([property: Description("Any JSON value, null included.")] JsonNode? Expected) : AssertionCondition;

[Description("The negation of `contains`.")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record NotContainsCondition([property: Description("Any JSON value, null included.")] JsonNode? Expected) : AssertionCondition;

[Description("Every key of `expected` is in the target object with a deep-equal value (nested objects again as a subset).")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ObjectContainsCondition(JsonObject Expected) : AssertionCondition;

[Description("The target array holds an element deep-equal to `expected`; an array `expected` lists elements that must all be present (wrap an array to look for it: `[[1, 2]]`).")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ArrayContainsCondition([property: Description("Any JSON value, null included.")] JsonNode? Expected) : AssertionCondition;

[Description("The target string matches the regular expression (evaluated with a time limit).")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record MatcheRegexCondition([property: Description("A valid regular expression; an invalid one is a 422.")] string Pattern) : AssertionCondition;

[Description("The target validates against the JSON schema.")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record JsonSchemaValidCondition([property: Description("A JSON schema (an object or a boolean); an invalid or too complex one is a 422.")] JsonNode Schema) : AssertionCondition;

[Description("Text similarity of the target to `reference` is at least `threshold`; reports `score`, `threshold` and `metric_kind`. `embeddings` needs a model (blocked `model_unavailable` without one).")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SimilarityGteCondition(
    string Reference,
    [property: Range(0.0, 1.0)] double Threshold,
    [property: Description("Defaults to `levenshtein`.")] SimilarityMethod Method = SimilarityMethod.Levenshtein) : AssertionCondition;

[Description("A model judges the target against the rubric (blocked `model_unavailable` without a model).")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record LlmJudgedAsCondition([property: MinLength(1)] string Rubric, string? ExpectedLabel = null) : AssertionCondition;

[Description("The negation of `llm_judged_as`.")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record LlmNotJudgedAsCondition([property: MinLength(1)] string Rubric, string? ExpectedLabel = null) : AssertionCondition;

[Description("Compares a length: characters of a string, items of an array or keys of an object, `op` expected.")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record LengthCompareCondition(ConditionCompareOp Op, long Expected) : AssertionCondition;

[Description("`lower` ≤ target ≤ `upper`, strictly when `inclusive` is false; `upper` < `lower` is a 422.")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record BetweenCondition(double Lower, double Upper, bool Inclusive = true) : AssertionCondition;

[Description("The target string starts with `expected`.")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record StartWithCondition(string Expected) : AssertionCondition;

[Description("The target string ends with `expected`.")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EndsWithCondition(string Expected) : AssertionCondition;

[Description("Every item of the target array satisfies `condition` (nesting at most 16 levels).")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AllItemsMatchCondition(AssertionCondition Condition) : AssertionCondition;

[Description("At least one item of the target array satisfies `condition` (nesting at most 16 levels).")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AnyItemMatchesCondition(AssertionCondition Condition) : AssertionCondition;

[Description("Intersection over union of the target split's page assignments with `expected` is at least `threshold`.")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SplitIouCondition(ExpectedSplits Expected, [property: Range(0.0, 1.0)] double Threshold = 1) : AssertionCondition;

[Description("The split payload shape; other keys are data and are ignored.")]
public sealed record ExpectedSplits([property: MinLength(1)] IReadOnlyList<ExpectedSplit> Splits);

[Description("One part of a split, with distinct names across parts; other keys are ignored.")]
public sealed record ExpectedSplit(string Name, IReadOnlyList<long> Pages);

public enum ConditionCompareOp { Gt, Gte, Lt, Lte, Eq, Neq }

public enum SimilarityMethod { Levenshtein, Embeddings }
