using System.Text.Json.Nodes;
using Retab.Runs.Cli.Api;

namespace Retab.Runs.Cli.Reports;

/// <summary>One result as the reports show it: who it is, how it ended and why.</summary>
public sealed record ResultRow(string TestName, string BlockId, string Lifecycle, string? Verdict, string? Code, string? Message,
    string? Expected, string? Actual, long? DurationMs)
{
    /// <summary>The verdict of a completed test, else its lifecycle (error, cancelled…).</summary>
    public string Outcome => Verdict ?? Lifecycle;

    public bool Passed => Verdict == "passed";

    public static ResultRow From(JsonObject result, IReadOnlyDictionary<string, string> testNames)
    {
        var testId = result.Str("test_id") ?? "";
        var assertion = result["assertion_result"] as JsonObject;
        var lifecycle = result.Str("lifecycle", "status") ?? "unknown";
        var code = assertion.Str("failure", "code") ?? result.Str("lifecycle", "details", "error_code");
        var message = assertion.Str("failure", "message") ?? result.Str("lifecycle", "message") ?? result.Str("lifecycle", "reason");
        var hasValues = assertion is not null && lifecycle == "completed";
        return new ResultRow(
            testNames.GetValueOrDefault(testId) ?? testId,
            result.Str("block_id") ?? "",
            lifecycle,
            result.Str("verdict"),
            code,
            message,
            hasValues && assertion!.ContainsKey("expected_value") ? Json.Compact(assertion["expected_value"]) : null,
            hasValues && assertion!.ContainsKey("actual_value") ? Json.Compact(assertion["actual_value"]) : null,
            result.Long("timing", "duration_ms"));
    }
}
