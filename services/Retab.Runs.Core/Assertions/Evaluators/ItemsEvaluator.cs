using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions.Evaluators;

/// <summary>
/// <c>all_items_match</c> / <c>any_item_matches</c>: the nested <c>condition</c> applied to each item of the target
/// array, combined with three-valued (Kleene) logic so the order of items never changes the outcome:
/// <list type="bullet">
/// <item>all: one failed item → failed; else one blocked item → blocked (with that item's code); else passed.
/// An empty array passes.</item>
/// <item>any: one passed item → passed; else one blocked item → blocked; else failed. An empty array fails.</item>
/// </list>
/// Evaluation stops at the first item that decides the outcome (saves model calls).
/// </summary>
internal sealed class ItemsEvaluator(bool all) : IConditionEvaluator
{
    public async ValueTask<Verdict> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        if (context.Actual is not JsonArray items)
            return Verdict.TypeError(context.Kind, "an array", context.Actual);
        var inner = (JsonObject)context.Field("condition")!;

        (int Index, Verdict Verdict)? firstBlocked = null;
        var failures = new List<(int Index, Verdict Verdict)>();
        for (var i = 0; i < items.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var verdict = await context.EvaluateNested(inner, items[i], $"item {i} of {context.TargetDescription}", cancellationToken).ConfigureAwait(false);
            switch (verdict.Outcome)
            {
                case AssertionOutcome.Failed when all:
                    return Verdict.Fail($"item {i} does not match: {verdict.Failure?.Message}", ItemDetails(i, verdict));
                case AssertionOutcome.Passed when !all:
                    return Verdict.Pass();
                case AssertionOutcome.Blocked:
                    firstBlocked ??= (i, verdict);
                    break;
                case AssertionOutcome.Failed:
                    failures.Add((i, verdict));
                    break;
            }
        }

        if (firstBlocked is var (index, blocked))
        {
            return Verdict.Block(blocked.Failure!.Code, $"item {index} could not be evaluated: {blocked.Failure.Message}", ItemDetails(index, blocked));
        }
        if (all)
            return Verdict.Pass();
        var message = items.Count == 0
            ? "the array is empty, so no item matches"
            : $"no item matches (first: item 0: {failures[0].Verdict.Failure?.Message})";
        return Verdict.Fail(message, new JsonObject { ["item_count"] = items.Count });
    }

    private static JsonObject ItemDetails(int index, Verdict verdict) => new()
    {
        ["index"] = index,
        ["item_failure"] = new JsonObject
        {
            ["code"] = verdict.Failure?.Code,
            ["message"] = verdict.Failure?.Message,
            ["details"] = verdict.Failure?.Details?.DeepClone(),
        },
    };
}
