using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Retab.Runs.Core.Assertions;
using static Retab.Runs.Core.Tests.Assertions.AssertionKit;

namespace Retab.Runs.Core.Tests.Assertions;

/// <summary>On present values, not_X is exactly the negation of X (and a blocked X is an equally blocked not_X).</summary>
public sealed class NegationPropertyTests
{
    private static bool AreNegations(AssertionResult positive, AssertionResult negative) => (positive.Outcome, negative.Outcome) switch
    {
        (AssertionOutcome.Passed, AssertionOutcome.Failed) or (AssertionOutcome.Failed, AssertionOutcome.Passed) => true,
        (AssertionOutcome.Blocked, AssertionOutcome.Blocked) => positive.Failure!.Code == negative.Failure!.Code,
        _ => false,
    };

    private static string Condition(string kind, string field, JsonNode? value) =>
        new JsonObject { ["kind"] = kind, [field] = value?.DeepClone() }.ToJsonString();

    [Property(MaxTest = 300)]
    public Property Not_exists_is_the_negation_of_exists() =>
        Prop.ForAll(JsonGenerators.ValueArb, Gen.Elements("a", "a.0", "0", "b.a", "a.b.0").ToArbitrary(), (data, path) =>
        {
            var exists = Evaluate("{\"kind\":\"exists\"}", data, path: path);
            var notExists = Evaluate("{\"kind\":\"not_exists\"}", data, path: path);
            return exists.Outcome != AssertionOutcome.Blocked && AreNegations(exists, notExists);
        });

    [Property(MaxTest = 300)]
    public Property Not_equals_is_the_negation_of_equals() =>
        Prop.ForAll(JsonGenerators.PairArb, pair =>
            AreNegations(
                Evaluate(Condition("equals", "expected", pair.Left), pair.Right),
                Evaluate(Condition("not_equals", "expected", pair.Left), pair.Right)));

    [Property(MaxTest = 300)]
    public Property Not_contains_is_the_negation_of_contains() =>
        Prop.ForAll(JsonGenerators.ValueArb, JsonGenerators.ValueArb, (target, expected) =>
            AreNegations(
                Evaluate(Condition("contains", "expected", expected), target),
                Evaluate(Condition("not_contains", "expected", expected), target)));

    [Property(MaxTest = 200)]
    public Property Llm_not_judged_as_is_the_negation_of_llm_judged_as() =>
        Prop.ForAll(JsonGenerators.ValueArb, Gen.Elements("a", "1", "true", "null", "é", "😀").ToArbitrary(), (value, rubric) =>
        {
            var model = new FakeAssertionModel();
            return AreNegations(
                Evaluate(Condition("llm_judged_as", "rubric", rubric), value, model),
                Evaluate(Condition("llm_not_judged_as", "rubric", rubric), value, model));
        });

    [Property(MaxTest = 300)]
    public Property A_value_rewritten_equally_is_equal_with_the_same_hash() =>
        Prop.ForAll(JsonGenerators.ValueArb, value =>
        {
            var rewritten = JsonGenerators.Rewrite(value);
            return JsonDeepEquality.Default.Equals(value, rewritten)
                   && JsonDeepEquality.Default.GetHashCode(value) == JsonDeepEquality.Default.GetHashCode(rewritten)
                   && Evaluate(Condition("equals", "expected", value), rewritten).Outcome == AssertionOutcome.Passed;
        });

    [Property(MaxTest = 300)]
    public Property Equal_values_have_equal_hashes() =>
        Prop.ForAll(JsonGenerators.PairArb, pair =>
            !JsonDeepEquality.Default.Equals(pair.Left, pair.Right)
            || JsonDeepEquality.Default.GetHashCode(pair.Left) == JsonDeepEquality.Default.GetHashCode(pair.Right));
}
