using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions.Evaluators;

/// <summary><c>equals</c> / <c>not_equals</c>: <see cref="JsonDeepEquality.Default"/> (ignores <c>reasoning___*</c> keys).</summary>
internal sealed class EqualityEvaluator(bool negate) : IConditionEvaluator
{
    public ValueTask<Verdict> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        var expected = context.Field("expected");
        var difference = JsonDeepEquality.Default.FindDifference(expected, context.Actual);
        if (negate)
        {
            return ValueTask.FromResult(Verdict.Check(difference is not null,
                () => $"expected a value different from {JsonValues.Render(expected)} but got an equal value {JsonValues.Render(context.Actual)}"));
        }
        if (difference is null)
            return ValueTask.FromResult(Verdict.Pass());
        return ValueTask.FromResult(Verdict.Fail(
            $"expected {JsonValues.Render(expected)} but got {JsonValues.Render(context.Actual)}{Describe(difference)}",
            DifferenceDetails(difference)));
    }

    /// <summary>For nested values, where they first differ: the part a person would otherwise hunt for.</summary>
    internal static string Describe(JsonDifference difference) => difference switch
    {
        { Path: "" } => "",
        { MissingInActual: true } => $" (key '{difference.Path}' is missing)",
        { MissingInExpected: true } => $" (unexpected key '{difference.Path}')",
        _ => $" (at '{difference.Path}': expected {JsonValues.Render(difference.Expected, 80)} but got {JsonValues.Render(difference.Actual, 80)})",
    };

    internal static JsonObject? DifferenceDetails(JsonDifference difference) =>
        difference.Path.Length == 0 ? null : new JsonObject { ["difference_path"] = difference.Path };
}
