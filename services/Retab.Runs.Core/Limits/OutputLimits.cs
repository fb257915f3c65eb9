using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Execution;

namespace Retab.Runs.Core.Limits;

/// <summary>
/// The size and depth limits on what a block outputs (<c>Limits:MaxOutputBytes</c>, <c>Limits:MaxJsonDepth</c>), for
/// every block type, and the blocked result each one produces. Measured by walking the value with a budget, never by
/// serializing it: an output of 50 MB costs a walk that stops at the limit, not three copies of 50 MB.
/// </summary>
public static class OutputLimits
{
    /// <summary>Null when all <paramref name="outputs"/> together fit; else the blocked result to report instead of them.</summary>
    public static BlockExecutionResult? Check(IReadOnlyDictionary<string, JsonNode?> outputs, ServiceLimits limits)
    {
        long remaining = limits.MaxOutputBytes;
        foreach (var (_, data) in outputs)
        {
            var (shape, bytes) = Measure(data, limits.MaxJsonDepth, remaining);
            switch (shape)
            {
                case JsonShape.TooDeep:
                    return TooDeep(limits, "The block's output");
                case JsonShape.TooLarge:
                    return TooLarge(limits, "The block's output");
                case JsonShape.InvalidText:
                    return BlockExecutionResult.FailedWith(AssertionFailureCodes.OutputInvalid,
                        "The block's output holds a string with an unpaired UTF-16 surrogate (\\ud800-\\udfff), which cannot be read as text.");
            }
            remaining -= bytes;
        }
        return null;
    }

    /// <param name="subject">What was too large, as the message's subject ("The block's output", "main's return value").</param>
    public static BlockExecutionResult TooLarge(ServiceLimits limits, string subject) => BlockExecutionResult.FailedWith(
        AssertionFailureCodes.OutputTooLarge,
        $"{subject} is larger than {limits.MaxOutputBytes} bytes as JSON, the limit set by Limits:MaxOutputBytes.");

    public static BlockExecutionResult TooDeep(ServiceLimits limits, string subject) => BlockExecutionResult.FailedWith(
        AssertionFailureCodes.OutputTooDeep,
        $"{subject} is nested deeper than {limits.MaxJsonDepth} levels, the limit set by Limits:MaxJsonDepth.");

    /// <summary>
    /// The compact UTF-8 JSON size of <paramref name="node"/> (see <see cref="JsonText"/>), without recursion; stops as
    /// soon as it passes <paramref name="maxBytes"/> or meets a container <paramref name="maxDepth"/> levels down.
    /// </summary>
    public static (JsonShape Shape, long Bytes) Measure(JsonNode? node, int maxDepth, long maxBytes)
    {
        long bytes = 0;
        var pending = new Stack<(JsonNode? Node, int Depth)>();
        pending.Push((node, 0));
        while (pending.TryPop(out var current))
        {
            switch (current.Node)
            {
                case null:
                    bytes += 4;
                    break;
                case JsonObject obj:
                    if (current.Depth >= maxDepth)
                        return (JsonShape.TooDeep, bytes);
                    bytes += 2 + Math.Max(0, obj.Count - 1);
                    if (!JsonText.TryReadMembers(obj, out var members))
                        return (JsonShape.InvalidText, bytes);
                    foreach (var (key, value) in members)
                    {
                        if (JsonText.HasUnpairedSurrogate(key))
                            return (JsonShape.InvalidText, bytes);
                        bytes += JsonText.StringBytes(key, maxBytes - bytes) + 1;
                        if (bytes > maxBytes)
                            return (JsonShape.TooLarge, bytes);
                        pending.Push((value, current.Depth + 1));
                    }
                    break;
                case JsonArray array:
                    if (current.Depth >= maxDepth)
                        return (JsonShape.TooDeep, bytes);
                    bytes += 2 + Math.Max(0, array.Count - 1);
                    foreach (var element in array)
                        pending.Push((element, current.Depth + 1));
                    break;
                case JsonValue value:
                    var valueBytes = ValueBytes(value, maxBytes - bytes);
                    if (valueBytes < 0)
                        return (JsonShape.InvalidText, bytes);
                    bytes += valueBytes;
                    break;
            }
            if (bytes > maxBytes)
                return (JsonShape.TooLarge, bytes);
        }
        return (JsonShape.Fits, bytes);
    }

    /// <returns>The value's bytes, or -1 for a string with an unpaired surrogate.</returns>
    private static long ValueBytes(JsonValue value, long stopAbove)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                if (!JsonText.TryReadString(value, out var text))
                    return -1;
                if (text is null)
                    return Encoding.UTF8.GetByteCount(value.ToJsonString());
                return JsonText.HasUnpairedSurrogate(text) ? -1 : JsonText.StringBytes(text, stopAbove);
            case JsonValueKind.True or JsonValueKind.Null:
                return 4;
            case JsonValueKind.False:
                return 5;
            default:
                return value.ToJsonString().Length; // numbers: short, and plain ASCII
        }
    }
}
