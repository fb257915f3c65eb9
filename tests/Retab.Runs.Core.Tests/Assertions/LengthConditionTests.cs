using static Retab.Runs.Core.Tests.Assertions.AssertionKit;

namespace Retab.Runs.Core.Tests.Assertions;

/// <summary>length_compare: text elements of a string, items of an array, keys (without reasoning___) of an object.</summary>
public sealed class LengthConditionTests
{
    private static string Length(string op, string expected) => J($"{{'kind':'length_compare','op':'{op}','expected':{expected}}}");

    private static string Str(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    public static TheoryData<string, string, string?, string> LengthCompareCases => new()
    {
        { Length("eq", "3"), Str("abc"), null, "passed" },
        { Length("gt", "3"), Str("abc"), null, "failed" },
        { Length("gte", "3"), Str("abc"), null, "passed" },
        { Length("lt", "4"), Str("abc"), null, "passed" },
        { Length("lte", "2"), Str("abc"), null, "failed" },
        { Length("neq", "3"), Str("abc"), null, "failed" },
        { Length("eq", "0"), Str(""), null, "passed" },
        { Length("eq", "0"), "[]", null, "passed" },
        { Length("eq", "0"), "{}", null, "passed" },
        { Length("eq", "2"), "[1,[2,3]]", null, "passed" },
        { Length("eq", "2"), J("{'a':1,'b':[1,2,3]}"), null, "passed" },
        { Length("eq", "1"), J("{'a':1,'reasoning___a':'x'}"), null, "passed" },
        // Text elements: an emoji with a skin tone (4 UTF-16 units) and e + combining accent count as one each.
        { Length("eq", "1"), Str("👍🏽"), null, "passed" },
        { Length("eq", "1"), Str("e\u0301"), null, "passed" },
        { Length("eq", "5"), Str("héllo"), null, "passed" },
        { Length("eq", "2.0"), Str("ab"), null, "passed" },
        { Length("eq", "3"), "123", null, "blocked:type_error" },
        { Length("eq", "0"), "null", null, "blocked:type_error" },
        { Length("eq", "1"), "true", null, "blocked:type_error" },
        { Length("eq", "1"), J("{'a':'x'}"), "b", "blocked:path_not_found" },
        { Length("eq", "2.5"), Str("ab"), null, "blocked:invalid_condition" },
        { Length("ge", "2"), Str("ab"), null, "blocked:invalid_condition" },
    };

    [Theory, MemberData(nameof(LengthCompareCases))]
    public Task Length_compare_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Fact]
    public async Task Failure_reports_the_length()
    {
        var result = await EvaluateAsync(Length("gte", "3"), "[1]");
        Assert.Equal("expected a length >= 3 but the length is 1", result.Failure!.Message);
        Assert.Equal(1, (int?)result.Failure.Details!["length"]);
    }
}
