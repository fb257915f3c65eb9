using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions.Evaluators;

/// <summary>
/// <c>llm_judged_as</c> passes iff the model judges the value as matching the rubric; <c>llm_not_judged_as</c>
/// iff it does not. No model, or a failing model, blocks both (neither is ever a silent pass).
/// </summary>
internal sealed class LlmJudgeEvaluator(bool negate) : IConditionEvaluator
{
    public async ValueTask<Verdict> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        if (context.Model is not { } model)
            return ModelCalls.Unavailable(context.Kind);
        var rubric = context.StringField("rubric");
        var expectedLabel = JsonValues.TryGetString(context.Field("expected_label"), out var label) ? label : null;
        // A copy: the model adapter may attach the value to a request document.
        var value = context.Actual?.DeepClone();

        var (judgement, blocked) = await ModelCalls.CallAsync(context.Kind,
            () => model.JudgeAsync(rubric, value, expectedLabel, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (blocked is not null)
            return blocked;
        if (judgement is null)
            return Verdict.Block(AssertionFailureCodes.ModelError, "the model returned no judgement");

        var details = new JsonObject { ["label"] = judgement.Label, ["explanation"] = judgement.Explanation };
        var labelText = judgement.Label is null ? "" : $" (label '{judgement.Label}')";
        var explanation = string.IsNullOrWhiteSpace(judgement.Explanation) ? "" : $": {judgement.Explanation}";
        return negate
            ? Verdict.Check(!judgement.Matches, () => $"the model judged the value as matching the rubric{labelText}{explanation}", details)
            : Verdict.Check(judgement.Matches, () => $"the model did not judge the value as matching the rubric{labelText}{explanation}", details);
    }
}
