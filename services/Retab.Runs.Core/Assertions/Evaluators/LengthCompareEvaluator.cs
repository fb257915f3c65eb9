using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions.Evaluators;

/// <summary>
/// <c>length_compare</c>: length OP expected, where the length of a string is its number of text elements
/// (user-perceived characters, see <see cref="TextMetrics"/>), of an array its item count, of an object its key
/// count without <c>reasoning___*</c> keys (they are not data). Numbers, booleans and null are type errors.
/// </summary>
internal sealed class LengthCompareEvaluator : IConditionEvaluator
{
    public ValueTask<Verdict> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        int length;
        switch (context.Actual)
        {
            case JsonArray array:
                length = array.Count;
                break;
            case JsonObject obj:
                length = JsonDeepEquality.Default.Members(obj).Count();
                break;
            default:
                if (!JsonValues.TryGetString(context.Actual, out var text))
                    return ValueTask.FromResult(Verdict.TypeError(context.Kind, "a string, an array or an object", context.Actual));
                length = TextMetrics.Length(text);
                break;
        }
        CompareOps.TryParse(context.StringField("op"), out var op);
        JsonValues.TryGetInteger(context.Field("expected"), out var expected);
        return ValueTask.FromResult(Verdict.Check(op.Holds(((long)length).CompareTo(expected)),
            () => $"expected a length {op.Symbol()} {expected} but the length is {length}",
            new JsonObject { ["length"] = length }));
    }
}
