using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions.Evaluators;

/// <summary>
/// <c>contains</c> / <c>not_contains</c>: a substring of a string (ordinal; "" is in every string), a deep-equal
/// element of an array, a key of an object. Any other target, or a non-string expected on a string or an
/// object, is a type error (blocked for both, so not_contains is never a silent pass).
/// </summary>
internal sealed class ContainsEvaluator(bool negate) : IConditionEvaluator
{
    public ValueTask<Verdict> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        var expected = context.Field("expected");
        bool found;
        string what;
        switch (context.Actual)
        {
            case JsonArray array:
                found = array.Any(item => JsonDeepEquality.Default.Equals(item, expected));
                what = "the element";
                break;
            case JsonObject obj:
                if (!JsonValues.TryGetString(expected, out var key))
                    return ValueTask.FromResult(ExpectedNotString(context, "object keys"));
                found = obj.ContainsKey(key);
                what = "the key";
                break;
            default:
                if (!JsonValues.TryGetString(context.Actual, out var text))
                    return ValueTask.FromResult(Verdict.TypeError(context.Kind, "a string, an array or an object", context.Actual));
                if (!JsonValues.TryGetString(expected, out var part))
                    return ValueTask.FromResult(ExpectedNotString(context, "strings"));
                found = text.Contains(part, StringComparison.Ordinal);
                what = "the substring";
                break;
        }

        return ValueTask.FromResult(negate
            ? Verdict.Check(!found, () => $"expected {JsonValues.Render(context.Actual)} not to contain {what} {JsonValues.Render(expected)}")
            : Verdict.Check(found, () => $"expected {JsonValues.Render(context.Actual)} to contain {what} {JsonValues.Render(expected)}"));
    }

    private static Verdict ExpectedNotString(EvaluationContext context, string on) =>
        Verdict.Block(AssertionFailureCodes.TypeError,
            $"{context.Kind} on {on} needs a string expected value but got {JsonValues.TypeName(context.Field("expected"))}",
            new JsonObject { ["actual_type"] = JsonValues.TypeName(context.Actual) });
}

/// <summary>
/// <c>object_contains</c>: every key of <c>expected</c> is in the target with a deep-equal value, where nested
/// objects are compared the same way (subset again) and everything else — arrays included — by deep equality.
/// <c>reasoning___*</c> keys of <c>expected</c> are ignored, like in <c>equals</c>.
/// </summary>
internal sealed class ObjectContainsEvaluator : IConditionEvaluator
{
    public ValueTask<Verdict> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        if (context.Actual is not JsonObject actual)
            return ValueTask.FromResult(Verdict.TypeError(context.Kind, "an object", context.Actual));
        var expected = (JsonObject)context.Field("expected")!;
        if (FindMismatch(expected, actual, "") is not { } mismatch)
            return ValueTask.FromResult(Verdict.Pass());
        return ValueTask.FromResult(Verdict.Fail(
            $"expected the object to contain {JsonValues.Render(expected)}{EqualityEvaluator.Describe(mismatch)}",
            EqualityEvaluator.DifferenceDetails(mismatch)));
    }

    private static JsonDifference? FindMismatch(JsonObject expected, JsonObject actual, string path)
    {
        foreach (var (key, value) in JsonDeepEquality.Default.Members(expected))
        {
            var childPath = path.Length == 0 ? key : path + "." + key;
            if (!actual.TryGetPropertyValue(key, out var other))
                return new JsonDifference(childPath, value, null, MissingInActual: true);
            if (value is JsonObject inner && other is JsonObject innerActual)
            {
                if (FindMismatch(inner, innerActual, childPath) is { } nested)
                    return nested;
            }
            else if (JsonDeepEquality.Default.FindDifference(value, other) is { } difference)
            {
                return difference with { Path = difference.Path.Length == 0 ? childPath : childPath + "." + difference.Path };
            }
        }
        return null;
    }
}

/// <summary>
/// <c>array_contains</c>: the target array has an element deep-equal to <c>expected</c>. When <c>expected</c> is
/// itself an array it lists required elements: every one of them must be in the target (order and multiplicity
/// ignored; an empty list passes). To look for an array element, wrap it: <c>expected: [[1, 2]]</c>.
/// </summary>
internal sealed class ArrayContainsEvaluator : IConditionEvaluator
{
    public ValueTask<Verdict> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        if (context.Actual is not JsonArray actual)
            return ValueTask.FromResult(Verdict.TypeError(context.Kind, "an array", context.Actual));
        var expected = context.Field("expected");
        // Explicit array: a collection expression here would become a JsonArray and try to re-parent the node.
        IEnumerable<JsonNode?> required = expected is JsonArray list ? list : new[] { expected };
        var missing = required.Where(r => !actual.Any(item => JsonDeepEquality.Default.Equals(item, r))).ToList();
        if (missing.Count == 0)
            return ValueTask.FromResult(Verdict.Pass());
        var missingArray = new JsonArray(missing.Select(m => m?.DeepClone()).ToArray());
        return ValueTask.FromResult(Verdict.Fail(
            $"expected the array to contain {JsonValues.Render(expected)} but it lacks {JsonValues.Render(missingArray)}",
            new JsonObject { ["missing"] = missingArray }));
    }
}
