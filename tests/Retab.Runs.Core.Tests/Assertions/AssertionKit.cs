using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;

namespace Retab.Runs.Core.Tests.Assertions;

/// <summary>Builds assertions from JSON text and evaluates them; shared by the table-driven tests.</summary>
public static class AssertionKit
{
    public const string Handle = "output-json-0";

    /// <summary>Passed as the data to mean "the output handle is missing altogether".</summary>
    public const string NoHandle = "<no handle>";

    /// <summary>JSON written with single quotes for readable tables: <c>J("{'a':1}")</c> is <c>{"a":1}</c>.</summary>
    public static string J(string relaxed) => relaxed.Replace('\'', '"');

    /// <summary>
    /// The same rows with passed and failed swapped (blocked rows unchanged): the table of a negated kind
    /// (not_exists, not_equals, not_contains, llm_not_judged_as) from the table of its positive kind.
    /// </summary>
    public static TheoryData<string, string, string?, string> Negated(TheoryData<string, string, string?, string> rows, string kind, string negatedKind)
    {
        var negated = new TheoryData<string, string, string?, string>();
        foreach (var row in rows)
        {
            var expect = (string)row[3] switch { "passed" => "failed", "failed" => "passed", var other => other };
            var condition = (string)row[0];
            var swapped = condition.Replace($"\"kind\":\"{kind}\"", $"\"kind\":\"{negatedKind}\"", StringComparison.Ordinal);
            if (swapped == condition)
                throw new ArgumentException($"row {condition} is not a {kind} condition");
            negated.Add(swapped, (string)row[1], (string?)row[2], expect);
        }
        return negated;
    }

    public static Assertion Assertion(string conditionJson, string? path = null, string? label = null) =>
        new("assert_test", new AssertionTarget(Handle, path), (JsonObject)JsonNode.Parse(conditionJson)!, label);

    public static IReadOnlyDictionary<string, JsonNode?> Outputs(string data) =>
        data == NoHandle
            ? new Dictionary<string, JsonNode?> { ["output-json-other"] = JsonNode.Parse("{}") }
            : new Dictionary<string, JsonNode?> { [Handle] = JsonNode.Parse(data) };

    public static Task<AssertionResult> EvaluateAsync(string conditionJson, string data, string? path = null, IAssertionModel? model = null) =>
        new AssertionEngine(model).EvaluateAsync(Assertion(conditionJson, path), Outputs(data));

    /// <summary>Synchronous form for FsCheck properties (the engine completes synchronously with the fake model).</summary>
    public static AssertionResult Evaluate(string conditionJson, JsonNode? data, IAssertionModel? model = null, string? path = null) =>
        new AssertionEngine(model)
            .EvaluateAsync(Assertion(conditionJson, path), new Dictionary<string, JsonNode?> { [Handle] = data?.DeepClone() })
            .GetAwaiter().GetResult();

    /// <summary>
    /// Evaluates and checks outcome and failure code together. <paramref name="expect"/> is "passed" (no failure),
    /// "failed" (code assertion_failed) or "blocked:&lt;code&gt;".
    /// </summary>
    public static async Task<AssertionResult> AssertOutcomeAsync(string conditionJson, string data, string? path, string expect, IAssertionModel? model = null)
    {
        var (outcome, code) = expect switch
        {
            "passed" => (AssertionOutcome.Passed, (string?)null),
            "failed" => (AssertionOutcome.Failed, AssertionFailureCodes.AssertionFailed),
            _ when expect.StartsWith("blocked:", StringComparison.Ordinal) => (AssertionOutcome.Blocked, expect["blocked:".Length..]),
            _ => throw new ArgumentException($"bad expectation '{expect}'", nameof(expect)),
        };
        var result = await EvaluateAsync(conditionJson, data, path, model);
        var because = $"{conditionJson} on {data} (path {path ?? "-"}) gave {result.Outcome}/{result.Failure?.Code}: {result.Failure?.Message}";
        Assert.True(outcome == result.Outcome, $"expected {expect}; {because}");
        Assert.True(code == result.Failure?.Code, $"expected {expect}; {because}");
        if (outcome != AssertionOutcome.Passed)
            Assert.False(string.IsNullOrWhiteSpace(result.Failure!.Message), because);
        return result;
    }
}
