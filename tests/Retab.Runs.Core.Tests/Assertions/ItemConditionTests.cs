using static Retab.Runs.Core.Tests.Assertions.AssertionKit;

namespace Retab.Runs.Core.Tests.Assertions;

/// <summary>all_items_match / any_item_matches: the inner condition on each item, three-valued logic.</summary>
public sealed class ItemConditionTests
{
    private static string All(string inner) => J($"{{'kind':'all_items_match','condition':{inner}}}");

    private static string Any(string inner) => J($"{{'kind':'any_item_matches','condition':{inner}}}");

    private const string Positive = "{'kind':'number_compare','op':'gt','expected':0}";

    public static TheoryData<string, string, string?, string> AllItemsMatchCases => new()
    {
        { All(Positive), "[1,2,3]", null, "passed" },
        { All(Positive), "[1,-2,3]", null, "failed" },
        { All(Positive), "[]", null, "passed" },
        { All(Positive), "[1,\"x\"]", null, "blocked:type_error" },
        // A failed item decides "all" whatever the order; a blocked one does not hide it.
        { All(Positive), "[-1,\"x\"]", null, "failed" },
        { All(Positive), "[\"x\",-1]", null, "failed" },
        { All(Positive), "\"abc\"", null, "blocked:type_error" },
        { All(Positive), J("{'a':1}"), null, "blocked:type_error" },
        { All(Positive), J("{'lines':[1]}"), "items", "blocked:path_not_found" },
        { All("{'kind':'length_compare','op':'gte','expected':1}"), "[[1,2],[3]]", null, "passed" },
        { All("{'kind':'length_compare','op':'gte','expected':1}"), "[[1],[]]", null, "failed" },
        { All("{'kind':'exists'}"), "[null]", null, "passed" },
        { All("{'kind':'equals','expected':null}"), "[null,null]", null, "passed" },
        { All("{'kind':'object_contains','expected':{'currency':'EUR'}}"), J("[{'currency':'EUR','amount':1},{'currency':'EUR'}]"), null, "passed" },
        { All(All("{'kind':'number_compare','op':'lt','expected':5}")), "[[1,2],[3,4]]", null, "passed" },
        { All(All("{'kind':'number_compare','op':'lt','expected':5}")), "[[1,2],[3,5]]", null, "failed" },
        { All("{'kind':'matches_regex','pattern':'^[A-Z]'}"), "[\"Éclair\",\"Zoo\"]", null, "failed" },
        { All("{'kind':'nope'}"), "[1]", null, "blocked:invalid_condition" },
        { All("{'kind':'matches_regex','pattern':'('}"), "[\"a\"]", null, "blocked:invalid_regex" },
        { All("{'kind':'llm_judged_as','rubric':'ok'}"), "[\"ok\"]", null, "blocked:model_unavailable" },
    };

    public static TheoryData<string, string, string?, string> AnyItemMatchesCases => new()
    {
        { Any("{'kind':'equals','expected':2}"), "[1,2,3]", null, "passed" },
        { Any("{'kind':'equals','expected':2}"), "[1,3]", null, "failed" },
        { Any("{'kind':'equals','expected':2}"), "[]", null, "failed" },
        { Any("{'kind':'equals','expected':2}"), "[2.0]", null, "passed" },
        // A passing item decides "any" whatever the order; otherwise a blocked item blocks.
        { Any("{'kind':'number_compare','op':'eq','expected':2}"), "[\"x\",2]", null, "passed" },
        { Any("{'kind':'number_compare','op':'eq','expected':2}"), "[\"x\",1]", null, "blocked:type_error" },
        { Any("{'kind':'number_compare','op':'eq','expected':2}"), J("{'a':2}"), null, "blocked:type_error" },
        { Any("{'kind':'number_compare','op':'eq','expected':2}"), "{}", "a", "blocked:path_not_found" },
        { Any("{'kind':'object_contains','expected':{'sku':'B'}}"), J("[{'sku':'A'},{'sku':'B','qty':1}]"), null, "passed" },
        { Any("{'kind':'array_contains','expected':3}"), "[[1],[2,3]]", null, "passed" },
        { Any("{'kind':'array_contains','expected':4}"), "[[1],[2,3]]", null, "failed" },
        { Any("{'kind':'exists'}"), "[null]", null, "passed" },
        { Any("{'kind':'not_exists'}"), "[null]", null, "failed" },
        { Any("{'kind':'matches_regex','pattern':'^x'}"), "[\"abc\",\"xyz\"]", null, "passed" },
        { Any("{'kind':'starts_with','expected':'ü'}"), "[\"über\"]", null, "passed" },
        { Any("{'kind':'starts_with','expected':'x'}"), "[\"abc\"]", null, "failed" },
        { Any(Any("{'kind':'equals','expected':'b'}")), "[[\"a\"],[\"c\",\"b\"]]", null, "passed" },
        { Any("{'kind':'equals'}"), "[1]", null, "blocked:invalid_condition" },
    };

    [Theory, MemberData(nameof(AllItemsMatchCases))]
    public Task All_items_match_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Theory, MemberData(nameof(AnyItemMatchesCases))]
    public Task Any_item_matches_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Fact]
    public async Task All_items_failure_names_the_failing_item()
    {
        var result = await EvaluateAsync(All(Positive), "[1,-2,3]");
        Assert.Equal(1, (int?)result.Failure!.Details!["index"]);
        Assert.StartsWith("item 1 does not match: expected a value > 0 but got -2", result.Failure.Message);
    }

    [Fact]
    public async Task Inner_condition_is_the_expected_value()
    {
        var result = await EvaluateAsync(All(Positive), "[1]");
        Assert.Equal(J(Positive), result.ExpectedValue!.ToJsonString());
    }
}
