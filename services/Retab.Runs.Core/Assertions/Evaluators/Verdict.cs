using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions.Evaluators;

/// <summary>What an evaluator decided; the engine turns it into an <see cref="AssertionResult"/>.</summary>
internal sealed record Verdict(AssertionOutcome Outcome, AssertionFailure? Failure = null, double? Score = null)
{
    public static Verdict Pass(double? score = null) => new(AssertionOutcome.Passed, null, score);

    public static Verdict Fail(string message, JsonObject? details = null, double? score = null) =>
        new(AssertionOutcome.Failed, new AssertionFailure(AssertionFailureCodes.AssertionFailed, message, details), score);

    public static Verdict Block(string code, string message, JsonObject? details = null, double? score = null) =>
        new(AssertionOutcome.Blocked, new AssertionFailure(code, message, details), score);

    /// <summary>Blocked with <c>type_error</c>, naming what the condition needs and what it got.</summary>
    public static Verdict TypeError(string kind, string needs, JsonNode? actual) =>
        Block(AssertionFailureCodes.TypeError, $"{kind} needs {needs} but the value is {JsonValues.TypeName(actual)} {JsonValues.Render(actual, 80)}",
            new JsonObject { ["actual_type"] = JsonValues.TypeName(actual) });

    /// <summary>Pass when <paramref name="holds"/>, otherwise fail with the message.</summary>
    public static Verdict Check(bool holds, Func<string> failureMessage, JsonObject? details = null, double? score = null) =>
        holds ? Pass(score) : Fail(failureMessage(), details, score);
}
