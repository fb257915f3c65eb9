using Retab.Runs.Core.Assertions;
using static Retab.Runs.Core.Tests.Assertions.AssertionKit;

namespace Retab.Runs.Core.Tests.Assertions;

/// <summary>similarity_gte with levenshtein (the default): 1 - distance / max length, in text elements.</summary>
public sealed class SimilarityConditionTests
{
    private static string Similar(string reference, string threshold, string? method = null)
    {
        var condition = new System.Text.Json.Nodes.JsonObject
        {
            ["kind"] = "similarity_gte",
            ["reference"] = reference,
            ["threshold"] = System.Text.Json.Nodes.JsonNode.Parse(threshold),
        };
        if (method is not null)
            condition["method"] = method;
        return condition.ToJsonString();
    }

    private static string Str(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    public static TheoryData<string, string, string?, string> LevenshteinCases => new()
    {
        // kitten → sitting: distance 3, longest 7, score 4/7 ≈ 0.571.
        { Similar("sitting", "0.5"), Str("kitten"), null, "passed" },
        { Similar("sitting", "0.6"), Str("kitten"), null, "failed" },
        { Similar("sitting", "0.5", "levenshtein"), Str("kitten"), null, "passed" },
        { Similar("", "1"), Str(""), null, "passed" },
        { Similar("", "0.01"), Str("abc"), null, "failed" },
        { Similar("ACME Corp", "1"), Str("ACME Corp"), null, "passed" },
        // Case-sensitive: no character in common.
        { Similar("ACME", "0.5"), Str("acme"), null, "failed" },
        { Similar("xyz", "0"), Str("abc"), null, "passed" },
        // Text elements: one of two emoji differs → 0.5 (UTF-16 code units would give 0.75).
        { Similar("😀😃", "0.5"), Str("😀😀"), null, "passed" },
        { Similar("😀😃", "0.6"), Str("😀😀"), null, "failed" },
        // Non-strings compare through canonical compact JSON.
        { Similar("42", "1"), "42", null, "passed" },
        { Similar("{\"a\":2,\"b\":1}", "1"), J("{'b':1,'a':2}"), null, "passed" },
        { Similar("null", "1"), "null", null, "passed" },
        { Similar("abc", "0.5"), J("{'name':'abc'}"), "title", "blocked:path_not_found" },
        { Similar("abc", "1.5"), Str("abc"), null, "blocked:invalid_condition" },
        { Similar("abc", "0.5", "cosine"), Str("abc"), null, "blocked:invalid_condition" },
        // Embeddings need a model.
        { Similar("abc", "0.5", "embeddings"), Str("abc"), null, "blocked:model_unavailable" },
    };

    [Theory, MemberData(nameof(LevenshteinCases))]
    public Task Similarity_gte_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Fact]
    public async Task Result_carries_score_threshold_and_metric_kind()
    {
        var result = await EvaluateAsync(Similar("sitting", "0.6"), Str("kitten"));

        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Equal(1 - 3.0 / 7, result.Score!.Value, precision: 12);
        Assert.Equal(0.6, result.Threshold);
        Assert.Equal("levenshtein", result.MetricKind);
        Assert.Equal("sitting", (string?)result.ExpectedValue);
        Assert.Contains("below the threshold 0.6", result.Failure!.Message);
    }

    [Fact]
    public async Task Blocked_result_still_reports_threshold_and_metric_kind()
    {
        var result = await EvaluateAsync(Similar("abc", "0.7", "embeddings"), Str("abc"));

        Assert.Null(result.Score);
        Assert.Equal(0.7, result.Threshold);
        Assert.Equal("embeddings", result.MetricKind);
    }
}
