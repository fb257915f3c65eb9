namespace Retab.Runs.Core.Assertions.Evaluators;

/// <summary><c>number_compare</c>: actual OP expected on JSON numbers (booleans and numeric strings are type errors).</summary>
internal sealed class NumberCompareEvaluator : IConditionEvaluator
{
    public ValueTask<Verdict> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        if (!JsonValues.TryGetNumber(context.Actual, out var actual))
            return ValueTask.FromResult(Verdict.TypeError(context.Kind, "a number", context.Actual));
        CompareOps.TryParse(context.StringField("op"), out var op);
        JsonValues.TryGetNumber(context.Field("expected"), out var expected);
        return ValueTask.FromResult(Verdict.Check(op.Holds(actual.CompareTo(expected)),
            () => $"expected a value {op.Symbol()} {expected} but got {actual}"));
    }
}

/// <summary><c>between</c>: lower ≤ actual ≤ upper (strict inequalities when <c>inclusive</c> is false; default true).</summary>
internal sealed class BetweenEvaluator : IConditionEvaluator
{
    public ValueTask<Verdict> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        if (!JsonValues.TryGetNumber(context.Actual, out var actual))
            return ValueTask.FromResult(Verdict.TypeError(context.Kind, "a number", context.Actual));
        JsonValues.TryGetNumber(context.Field("lower"), out var lower);
        JsonValues.TryGetNumber(context.Field("upper"), out var upper);
        var inclusive = context.Field("inclusive") is not { } flag || JsonValues.Kind(flag) == System.Text.Json.JsonValueKind.True;

        var holds = inclusive
            ? actual.CompareTo(lower) >= 0 && actual.CompareTo(upper) <= 0
            : actual.CompareTo(lower) > 0 && actual.CompareTo(upper) < 0;
        var interval = inclusive ? $"[{lower}, {upper}]" : $"({lower}, {upper})";
        return ValueTask.FromResult(Verdict.Check(holds, () => $"expected a value in {interval} but got {actual}"));
    }
}
