using static Retab.Runs.Core.Tests.Assertions.AssertionKit;

namespace Retab.Runs.Core.Tests.Assertions;

/// <summary>equals / not_equals: strict deep equality, numbers by value, key order and reasoning___ keys ignored.</summary>
public sealed class EqualityConditionTests
{
    private static string EqualsTo(string expected) => J($"{{'kind':'equals','expected':{expected}}}");

    public static TheoryData<string, string, string?, string> EqualsCases => new()
    {
        { EqualsTo("1"), "1.0", null, "passed" },
        { EqualsTo("1e2"), "100", null, "passed" },
        { EqualsTo("-0"), "0", null, "passed" },
        { EqualsTo("true"), "1", null, "failed" },
        { EqualsTo("1"), "true", null, "failed" },
        { EqualsTo("'1'"), "1", null, "failed" },
        { EqualsTo("0.1"), "0.10000000000000001", null, "failed" },
        { EqualsTo("null"), "null", null, "passed" },
        { EqualsTo("null"), "{}", null, "failed" },
        { EqualsTo("false"), "null", null, "failed" },
        { EqualsTo("''"), "''".Replace('\'', '"'), null, "passed" },
        { EqualsTo("[]"), "{}", null, "failed" },
        { EqualsTo("[]"), "[]", null, "passed" },
        { EqualsTo("{'a':1,'b':2}"), J("{'b':2,'a':1}"), null, "passed" },
        { EqualsTo("{'a':1}"), J("{'a':1,'b':2}"), null, "failed" },
        { EqualsTo("{'a':1,'b':2}"), J("{'a':1}"), null, "failed" },
        { EqualsTo("{'a':1}"), J("{'a':1,'reasoning___a':'because'}"), null, "passed" },
        { EqualsTo("{'a':1,'reasoning___a':'x'}"), J("{'a':1}"), null, "passed" },
        { EqualsTo("{'a':{'b':[{'c':1,'reasoning___c':'x'}]}}"), J("{'a':{'b':[{'c':1.00,'reasoning___c':'y'}]}}"), null, "passed" },
        { EqualsTo("[1,2]"), "[2,1]", null, "failed" },
        { EqualsTo("[[1,[2]]]"), "[[1,[2.0]]]", null, "passed" },
        { EqualsTo("[[1,[2]]]"), "[[1,[2,3]]]", null, "failed" },
        // No Unicode normalisation: precomposed é differs from e + combining acute.
        { EqualsTo("'caf\u00e9'"), "\"cafe\u0301\"", null, "failed" },
        { EqualsTo("'😀 ok'"), "\"😀 ok\"", null, "passed" },
        { EqualsTo("'Acme'"), "\"acme\"", null, "failed" },
        { EqualsTo("42"), J("{'total':42}"), "total", "passed" },
        { EqualsTo("42"), J("{'total':41}"), "total", "failed" },
        { EqualsTo("1"), "{}", "missing", "blocked:path_not_found" },
        { EqualsTo("null"), J("{'a':null}"), "a.b", "blocked:path_not_found" },
        { EqualsTo("1"), NoHandle, null, "blocked:path_not_found" },
    };

    public static TheoryData<string, string, string?, string> NotEqualsCases => Negated(EqualsCases, "equals", "not_equals");

    [Theory, MemberData(nameof(EqualsCases))]
    public Task Equals_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Theory, MemberData(nameof(NotEqualsCases))]
    public Task Not_equals_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Fact]
    public async Task Failure_message_shows_expected_and_actual()
    {
        var result = await EvaluateAsync(EqualsTo("42"), J("{'total':41}"), "total");
        Assert.Equal("expected 42 but got 41", result.Failure!.Message);
    }

    [Fact]
    public async Task Failure_points_at_the_first_nested_difference()
    {
        var result = await EvaluateAsync(EqualsTo("{'lines':[{'amount':42}]}"), J("{'lines':[{'amount':41}]}"));
        Assert.Contains("at 'lines.0.amount': expected 42 but got 41", result.Failure!.Message);
        Assert.Equal("lines.0.amount", (string?)result.Failure.Details!["difference_path"]);
    }
}
