using static Retab.Runs.Core.Tests.Assertions.AssertionKit;

namespace Retab.Runs.Core.Tests.Assertions;

/// <summary>number_compare and between: JSON numbers only (booleans and numeric strings are type errors).</summary>
public sealed class NumberConditionTests
{
    private static string Compare(string op, string expected) => J($"{{'kind':'number_compare','op':'{op}','expected':{expected}}}");

    private static string Between(string lower, string upper, string? inclusive = null) =>
        J($"{{'kind':'between','lower':{lower},'upper':{upper}{(inclusive is null ? "" : $",'inclusive':{inclusive}")}}}");

    public static TheoryData<string, string, string?, string> NumberCompareCases => new()
    {
        { Compare("gt", "10"), "11", null, "passed" },
        { Compare("gt", "10"), "10", null, "failed" },
        { Compare("gte", "10"), "10.0", null, "passed" },
        { Compare("gte", "10"), "9.999", null, "failed" },
        { Compare("lt", "0"), "-0.5", null, "passed" },
        { Compare("lt", "0"), "0", null, "failed" },
        // Decimal precision: 1.0000000000000001 is not 1 (a double would round it to 1).
        { Compare("lte", "1"), "1.0000000000000001", null, "failed" },
        { Compare("lte", "1"), "1", null, "passed" },
        { Compare("eq", "1"), "1.0", null, "passed" },
        { Compare("eq", "100"), "1e2", null, "passed" },
        { Compare("neq", "1"), "1.0", null, "failed" },
        { Compare("neq", "1"), "2", null, "passed" },
        { Compare("lt", "1e300"), "1e308", null, "failed" },
        { Compare("gt", "-1e300"), "-1e-300", null, "passed" },
        { Compare("eq", "3"), "\"3\"", null, "blocked:type_error" },
        { Compare("gt", "0"), "true", null, "blocked:type_error" },
        { Compare("gt", "0"), "null", null, "blocked:type_error" },
        { Compare("gt", "0"), "[1]", null, "blocked:type_error" },
        { Compare("gt", "0"), J("{'a':1}"), null, "blocked:type_error" },
        { Compare("gt", "0"), J("{'lines':[{'amount':5}]}"), "lines.0.amount", "passed" },
        { Compare("gt", "0"), J("{'lines':[]}"), "lines.0.amount", "blocked:path_not_found" },
        { Compare("ge", "0"), "1", null, "blocked:invalid_condition" },
        { J("{'kind':'number_compare','op':'gt','expected':'0'}"), "1", null, "blocked:invalid_condition" },
    };

    public static TheoryData<string, string, string?, string> BetweenCases => new()
    {
        { Between("1", "5"), "1", null, "passed" },
        { Between("1", "5"), "5", null, "passed" },
        { Between("1", "5"), "3.5", null, "passed" },
        { Between("1", "5", "true"), "5.0", null, "passed" },
        { Between("1", "5", "false"), "5", null, "failed" },
        { Between("1", "5", "false"), "1", null, "failed" },
        { Between("1", "5", "false"), "3", null, "passed" },
        { Between("1", "5"), "0.999", null, "failed" },
        { Between("1", "5"), "5.0000001", null, "failed" },
        { Between("-1", "1"), "-0", null, "passed" },
        { Between("2", "2"), "2", null, "passed" },
        { Between("2", "2", "false"), "2", null, "failed" },
        { Between("1", "5"), "\"3\"", null, "blocked:type_error" },
        { Between("1", "5"), "false", null, "blocked:type_error" },
        { Between("1", "5"), "null", null, "blocked:type_error" },
        { Between("1", "5"), J("{'x':3}"), "y", "blocked:path_not_found" },
        // Swapped bounds can never pass: rejected like at creation time.
        { Between("5", "1"), "3", null, "blocked:invalid_condition" },
    };

    [Theory, MemberData(nameof(NumberCompareCases))]
    public Task Number_compare_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Theory, MemberData(nameof(BetweenCases))]
    public Task Between_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Fact]
    public async Task Number_compare_failure_names_the_operator()
    {
        var result = await EvaluateAsync(Compare("gt", "10"), "5");
        Assert.Equal("expected a value > 10 but got 5", result.Failure!.Message);
    }
}
