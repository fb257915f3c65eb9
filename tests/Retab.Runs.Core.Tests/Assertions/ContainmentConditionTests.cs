using static Retab.Runs.Core.Tests.Assertions.AssertionKit;

namespace Retab.Runs.Core.Tests.Assertions;

/// <summary>contains / not_contains, object_contains, array_contains.</summary>
public sealed class ContainmentConditionTests
{
    private static string Contains(string expected) => J($"{{'kind':'contains','expected':{expected}}}");

    private static string ObjectContains(string expected) => J($"{{'kind':'object_contains','expected':{expected}}}");

    private static string ArrayContains(string expected) => J($"{{'kind':'array_contains','expected':{expected}}}");

    public static TheoryData<string, string, string?, string> ContainsCases => new()
    {
        // Strings: ordinal substring.
        { Contains("'o w'"), "\"hello world\"", null, "passed" },
        { Contains("'H'"), "\"hello\"", null, "failed" },
        { Contains("''"), "\"hello\"", null, "passed" },
        { Contains("''"), "\"\"", null, "passed" },
        { Contains("'a'"), "\"\"", null, "failed" },
        { Contains("'café'"), "\"naïve café\"", null, "passed" },
        { Contains("'😀'"), "\"ok 😀!\"", null, "passed" },
        { Contains("1"), "\"a1\"", null, "blocked:type_error" },
        // Arrays: a deep-equal element.
        { Contains("2.0"), "[1,2,3]", null, "passed" },
        { Contains("'2'"), "[1,2,3]", null, "failed" },
        { Contains("true"), "[1]", null, "failed" },
        { Contains("[1,2]"), "[[1,2],[3]]", null, "passed" },
        { Contains("[2,1]"), "[[1,2],[3]]", null, "failed" },
        { Contains("{'a':1}"), J("[{'reasoning___a':'r','a':1}]"), null, "passed" },
        { Contains("null"), "[]", null, "failed" },
        { Contains("null"), "[null]", null, "passed" },
        // Objects: a key.
        { Contains("'a'"), J("{'a':1}"), null, "passed" },
        { Contains("'b'"), J("{'a':{'b':1}}"), null, "failed" },
        { Contains("'a'"), "{}", null, "failed" },
        { Contains("1"), J("{'1':1}"), null, "blocked:type_error" },
        // Anything else.
        { Contains("4"), "42", null, "blocked:type_error" },
        { Contains("'a'"), "null", null, "blocked:type_error" },
        { Contains("'t'"), "true", null, "blocked:type_error" },
        { Contains("'a'"), "{}", "missing", "blocked:path_not_found" },
    };

    public static TheoryData<string, string, string?, string> NotContainsCases => Negated(ContainsCases, "contains", "not_contains");

    public static TheoryData<string, string, string?, string> ObjectContainsCases => new()
    {
        { ObjectContains("{'a':1}"), J("{'a':1,'b':2}"), null, "passed" },
        { ObjectContains("{'a':1,'b':2}"), J("{'a':1}"), null, "failed" },
        { ObjectContains("{'a':{'b':1}}"), J("{'a':{'b':1,'c':2}}"), null, "passed" },
        { ObjectContains("{'a':{'b':2}}"), J("{'a':{'b':1}}"), null, "failed" },
        { ObjectContains("{'a':{'b':{'c':[1]}}}"), J("{'a':{'b':{'c':[1],'d':0},'e':0}}"), null, "passed" },
        // Arrays inside are compared exactly, not as subsets.
        { ObjectContains("{'a':[1,2]}"), J("{'a':[1,2,3]}"), null, "failed" },
        { ObjectContains("{}"), J("{'a':1}"), null, "passed" },
        { ObjectContains("{}"), "{}", null, "passed" },
        { ObjectContains("{'a':1}"), J("{'a':1.0}"), null, "passed" },
        { ObjectContains("{'a':1}"), J("{'a':true}"), null, "failed" },
        { ObjectContains("{'a':null}"), J("{'a':null}"), null, "passed" },
        { ObjectContains("{'a':null}"), "{}", null, "failed" },
        { ObjectContains("{'a':1,'reasoning___a':'x'}"), J("{'a':1}"), null, "passed" },
        { ObjectContains("{'ville':'Zürich'}"), J("{'ville':'Zürich','pays':'CH'}"), null, "passed" },
        { ObjectContains("{'a':1}"), "[{\"a\":1}]", null, "blocked:type_error" },
        { ObjectContains("{'a':1}"), "\"a\"", null, "blocked:type_error" },
        { ObjectContains("{'a':1}"), "null", null, "blocked:type_error" },
        { ObjectContains("{'a':1}"), J("{'v':{}}"), "v.w", "blocked:path_not_found" },
        { ObjectContains("[1]"), J("{'a':1}"), null, "blocked:invalid_condition" },
    };

    public static TheoryData<string, string, string?, string> ArrayContainsCases => new()
    {
        { ArrayContains("2"), "[1,2,3]", null, "passed" },
        { ArrayContains("4"), "[1,2,3]", null, "failed" },
        // An expected array lists required elements: all of them, in any order.
        { ArrayContains("[3,1]"), "[1,2,3]", null, "passed" },
        { ArrayContains("[1,4]"), "[1,2,3]", null, "failed" },
        { ArrayContains("[]"), "[1,2,3]", null, "passed" },
        { ArrayContains("[]"), "[]", null, "passed" },
        // To look for an array element, wrap it.
        { ArrayContains("[[1,2]]"), "[[1,2]]", null, "passed" },
        { ArrayContains("[1,2]"), "[[1,2]]", null, "failed" },
        { ArrayContains("1.0"), "[1]", null, "passed" },
        { ArrayContains("true"), "[1]", null, "failed" },
        { ArrayContains("null"), "[]", null, "failed" },
        { ArrayContains("null"), "[null]", null, "passed" },
        { ArrayContains("{'x':'é'}"), J("[{'x':'é','reasoning___x':'r'}]"), null, "passed" },
        { ArrayContains("{'x':'e'}"), J("[{'x':'é'}]"), null, "failed" },
        { ArrayContains("1"), J("{'a':1}"), null, "blocked:type_error" },
        { ArrayContains("'a'"), "\"abc\"", null, "blocked:type_error" },
        { ArrayContains("1"), "null", null, "blocked:type_error" },
        { ArrayContains("1"), J("{'items':[1]}"), "items.0.x", "blocked:path_not_found" },
    };

    [Theory, MemberData(nameof(ContainsCases))]
    public Task Contains_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Theory, MemberData(nameof(NotContainsCases))]
    public Task Not_contains_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Theory, MemberData(nameof(ObjectContainsCases))]
    public Task Object_contains_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Theory, MemberData(nameof(ArrayContainsCases))]
    public Task Array_contains_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Fact]
    public async Task Array_contains_failure_lists_the_missing_elements()
    {
        var result = await EvaluateAsync(ArrayContains("[1,4,5]"), "[1,2,3]");
        Assert.Equal("[4,5]", result.Failure!.Details!["missing"]!.ToJsonString());
    }

    [Fact]
    public async Task Object_contains_failure_names_the_missing_nested_key()
    {
        var result = await EvaluateAsync(ObjectContains("{'vendor':{'name':'Acme','vat':'X'}}"), J("{'vendor':{'name':'Acme'}}"));
        Assert.Equal("vendor.vat", (string?)result.Failure!.Details!["difference_path"]);
    }
}
