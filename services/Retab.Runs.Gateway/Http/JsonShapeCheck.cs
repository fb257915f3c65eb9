using System.Text.Json;
using System.Text.Json.Nodes;
using Retab.Runs.Core.Limits;
using Retab.Runs.Core.Validation;

namespace Retab.Runs.Gateway.Http;

/// <summary>
/// The limits every JSON body obeys whatever its route: nesting (<see cref="ServiceLimits.MaxJsonDepth"/>), string
/// length (<see cref="ServiceLimits.MaxStringLength"/>, keys included) and well-formed UTF-16. Checked once, right
/// after parsing and before any handler looks at the body, so no store, bus or serializer downstream ever sees a
/// value it cannot hold. The walk uses its own stack: the body's depth must not become the gateway's.
/// </summary>
public static class JsonShapeCheck
{
    private const int MaxReported = 10;

    public static IReadOnlyList<FieldError> Problems(JsonNode root, ServiceLimits limits)
    {
        var problems = new List<FieldError>();
        var pending = new Stack<(JsonNode? Node, object[] Loc, int Depth)>();
        pending.Push((root, ["body"], 1));
        while (pending.Count > 0 && problems.Count < MaxReported)
        {
            var (node, loc, depth) = pending.Pop();
            switch (node)
            {
                case JsonObject or JsonArray when depth > limits.MaxJsonDepth:
                    problems.Add(new FieldError(loc, $"JSON may nest at most {limits.MaxJsonDepth} levels (setting Limits:MaxJsonDepth)", "json_too_deep"));
                    break;
                case JsonObject obj:
                    if (!JsonText.TryReadMembers(obj, out var members))
                    {
                        problems.Add(Unicode(loc));
                        break;
                    }
                    foreach (var (key, child) in members)
                    {
                        object[] at = [.. loc, key];
                        if (CheckText(key, at, limits, problems))
                            pending.Push((child, at, depth + 1));
                    }
                    break;
                case JsonArray array:
                    for (var i = array.Count - 1; i >= 0; i--)
                        pending.Push((array[i], [.. loc, i], depth + 1));
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    if (JsonText.TryReadString(value, out var text))
                        CheckText(text ?? "", loc, limits, problems);
                    else
                        problems.Add(Unicode(loc));
                    break;
            }
        }
        return problems;
    }

    public static FieldError Unicode(object[] loc) =>
        new(loc, "Input should be a valid string: it holds an unpaired surrogate (\\ud800-\\udfff)", "string_unicode");

    private static bool CheckText(string text, object[] loc, ServiceLimits limits, List<FieldError> problems)
    {
        if (text.Length > limits.MaxStringLength)
        {
            problems.Add(new FieldError(loc, $"String should have at most {limits.MaxStringLength} characters (setting Limits:MaxStringLength)", "string_too_long"));
            return false;
        }
        if (JsonText.HasUnpairedSurrogate(text))
        {
            problems.Add(Unicode(loc));
            return false;
        }
        return true;
    }
}
