using System.Diagnostics;
using Retab.Runs.Core.Assertions;
using static Retab.Runs.Core.Tests.Assertions.AssertionKit;

namespace Retab.Runs.Core.Tests.Assertions;

/// <summary>starts_with, ends_with, matches_regex: strings only; regexes are bounded in time.</summary>
public sealed class StringConditionTests
{
    private static string StartsWith(string expected) => J($"{{'kind':'starts_with','expected':{expected}}}");

    private static string EndsWith(string expected) => J($"{{'kind':'ends_with','expected':{expected}}}");

    private static string Regex(string pattern) =>
        new System.Text.Json.Nodes.JsonObject { ["kind"] = "matches_regex", ["pattern"] = pattern }.ToJsonString();

    private static string Str(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    public static TheoryData<string, string, string?, string> StartsWithCases => new()
    {
        { StartsWith("'Invoice'"), Str("Invoice 42"), null, "passed" },
        { StartsWith("'Invoice'"), Str("invoice 42"), null, "failed" },
        { StartsWith("''"), Str(""), null, "passed" },
        { StartsWith("''"), Str("abc"), null, "passed" },
        { StartsWith("'abc'"), Str("ab"), null, "failed" },
        { StartsWith("'😀'"), Str("😀 ok"), null, "passed" },
        { StartsWith("'Zür'"), Str("Zürich"), null, "passed" },
        { StartsWith("'4'"), "42", null, "blocked:type_error" },
        { StartsWith("'n'"), "null", null, "blocked:type_error" },
        { StartsWith("'a'"), "[\"a\"]", null, "blocked:type_error" },
        { StartsWith("'a'"), J("{'a':1}"), null, "blocked:type_error" },
        { StartsWith("'a'"), J("{'name':'abc'}"), "title", "blocked:path_not_found" },
        { StartsWith("'a'"), J("{'name':'abc'}"), "name", "passed" },
        { StartsWith("4"), Str("42"), null, "blocked:invalid_condition" },
    };

    public static TheoryData<string, string, string?, string> EndsWithCases => new()
    {
        { EndsWith("'.pdf'"), Str("scan.pdf"), null, "passed" },
        { EndsWith("'.PDF'"), Str("scan.pdf"), null, "failed" },
        { EndsWith("''"), Str(""), null, "passed" },
        { EndsWith("''"), Str("abc"), null, "passed" },
        { EndsWith("'xabc'"), Str("abc"), null, "failed" },
        { EndsWith("'🎉'"), Str("done 🎉"), null, "passed" },
        { EndsWith("'été'"), Str("l'été"), null, "passed" },
        { EndsWith("'2'"), "42", null, "blocked:type_error" },
        { EndsWith("'e'"), "true", null, "blocked:type_error" },
        { EndsWith("'a'"), "[\"a\"]", null, "blocked:type_error" },
        { EndsWith("'a'"), "null", null, "blocked:type_error" },
        { EndsWith("'a'"), NoHandle, null, "blocked:path_not_found" },
        { EndsWith("'c'"), J("{'tags':['abc']}"), "tags.0", "passed" },
        { EndsWith("null"), Str("a"), null, "blocked:invalid_condition" },
    };

    public static TheoryData<string, string, string?, string> MatchesRegexCases => new()
    {
        { Regex(@"^INV-\d+$"), Str("INV-0042"), null, "passed" },
        { Regex(@"^INV-\d+$"), Str("INV-00A2"), null, "failed" },
        // A search, not a full match: anchor for that.
        { Regex(@"INV-\d"), Str("xx INV-1 yy"), null, "passed" },
        { Regex("^$"), Str(""), null, "passed" },
        { Regex(""), Str("anything"), null, "passed" },
        { Regex("ABC"), Str("abc"), null, "failed" },
        { Regex("(?i)ABC"), Str("abc"), null, "passed" },
        { Regex(@"^\w+$"), Str("Ünïcödé"), null, "passed" },
        { Regex("^.$"), Str("é"), null, "passed" },
        { Regex("4"), "42", null, "blocked:type_error" },
        { Regex("null"), "null", null, "blocked:type_error" },
        { Regex("a"), "[\"a\"]", null, "blocked:type_error" },
        { Regex("("), Str("a"), null, "blocked:invalid_regex" },
        // The pattern is checked before the target: a broken pattern is the test's fault.
        { Regex("["), "{}", "missing", "blocked:invalid_regex" },
        { Regex("a"), "{}", "missing", "blocked:path_not_found" },
        { Regex("(a+)+$"), Str("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"), null, "blocked:regex_timeout" },
        { J("{'kind':'matches_regex','pattern':5}"), Str("5"), null, "blocked:invalid_condition" },
    };

    [Theory, MemberData(nameof(StartsWithCases))]
    public Task Starts_with_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Theory, MemberData(nameof(EndsWithCases))]
    public Task Ends_with_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Theory, MemberData(nameof(MatchesRegexCases))]
    public Task Matches_regex_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Fact]
    public async Task Catastrophic_backtracking_ends_blocked_quickly()
    {
        var watch = Stopwatch.StartNew();
        var result = await EvaluateAsync(Regex("(a+)+$"), Str("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"));
        watch.Stop();

        Assert.Equal(AssertionOutcome.Blocked, result.Outcome);
        Assert.Equal(AssertionFailureCodes.RegexTimeout, result.Failure!.Code);
        // The timeout is 250 ms; the bound leaves room for a loaded CI machine but not for 2^32 steps.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Regex_result_carries_the_pattern_as_expected_value()
    {
        var result = await EvaluateAsync(Regex(@"^\d+$"), Str("12"));
        Assert.Equal(AssertionOutcome.Passed, result.Outcome);
        Assert.Equal(@"^\d+$", (string?)result.ExpectedValue);
    }
}
