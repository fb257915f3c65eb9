namespace Retab.Runs.Core.Assertions.Evaluators;

/// <summary><c>exists</c> / <c>not_exists</c>: never blocked; a present JSON null counts as existing.</summary>
internal sealed class PresenceEvaluator(bool negate) : IConditionEvaluator
{
    public ValueTask<Verdict> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(negate
            ? Verdict.Check(!context.Present, () => $"expected no value at {context.TargetDescription} but found {JsonValues.Render(context.Actual)}")
            : Verdict.Check(context.Present, () => $"expected a value at {context.TargetDescription} but it is absent"));
}
