using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Retab.Runs.Core.Assertions.Evaluators;

/// <summary><c>starts_with</c> / <c>ends_with</c>: strings only, ordinal (case-sensitive, no normalisation).</summary>
internal sealed class AffixEvaluator(bool atStart) : IConditionEvaluator
{
    public ValueTask<Verdict> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        if (!JsonValues.TryGetString(context.Actual, out var text))
            return ValueTask.FromResult(Verdict.TypeError(context.Kind, "a string", context.Actual));
        var affix = context.StringField("expected");
        var holds = atStart ? text.StartsWith(affix, StringComparison.Ordinal) : text.EndsWith(affix, StringComparison.Ordinal);
        return ValueTask.FromResult(Verdict.Check(holds,
            () => $"expected {JsonValues.Render(context.Actual)} to {(atStart ? "start" : "end")} with {JsonValues.Render(context.Field("expected"))}"));
    }
}

/// <summary>
/// <c>matches_regex</c>: .NET regex syntax, searched anywhere in the string (anchor with <c>^…$</c> for a full
/// match), on strings only, with a match timeout (<see cref="RegexPatterns.MatchTimeout"/>).
/// </summary>
internal sealed class RegexEvaluator : IConditionEvaluator
{
    public ValueTask<Verdict> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        var pattern = context.StringField("pattern");
        // Checked before the target type: a broken pattern is the test's fault whatever the value.
        var compilation = RegexPatterns.Compile(pattern);
        if (compilation.Regex is not { } regex)
            return ValueTask.FromResult(Verdict.Block(AssertionFailureCodes.InvalidRegex, $"invalid regular expression: {compilation.Error}"));
        if (!JsonValues.TryGetString(context.Actual, out var text))
            return ValueTask.FromResult(Verdict.TypeError(context.Kind, "a string", context.Actual));
        try
        {
            return ValueTask.FromResult(Verdict.Check(regex.IsMatch(text),
                () => $"expected {JsonValues.Render(context.Actual)} to match /{pattern}/"));
        }
        catch (RegexMatchTimeoutException)
        {
            return ValueTask.FromResult(Verdict.Block(AssertionFailureCodes.RegexTimeout,
                $"the regular expression took longer than {RegexPatterns.MatchTimeout.TotalMilliseconds} ms (catastrophic backtracking?); simplify the pattern",
                new JsonObject { ["timeout_ms"] = RegexPatterns.MatchTimeout.TotalMilliseconds }));
        }
    }
}
