using System.Globalization;
using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions;

/// <summary>
/// Resolves an assertion target path (<c>vendor.name</c>, <c>lines.0.amount</c>) inside a JSON value.
/// </summary>
/// <remarks>
/// Rules, shared by every caller so that "absent" means the same thing everywhere:
/// <list type="bullet">
/// <item>A null, empty or whitespace path designates the whole value.</item>
/// <item>Segments are separated by <c>.</c>. On an object a segment is a key (ordinal, case-sensitive; a key that
/// looks like a number, e.g. <c>"0"</c>, is still a key). On an array a segment must be a non-negative decimal index
/// in range; anything else (<c>-1</c>, <c>first</c>, <c>1.5</c>) is absent.</item>
/// <item>Walking into a missing key, an out-of-range index, a JSON <c>null</c> or a scalar is absent.</item>
/// <item>A key that is present with a JSON <c>null</c> value at the last segment is <em>present</em>: the value is
/// <c>null</c> and <see cref="TryResolve(JsonNode?, string?, out JsonNode?)"/> returns true.</item>
/// <item>Keys that themselves contain a dot cannot be addressed (there is no escape syntax).</item>
/// </list>
/// </remarks>
public static class JsonPathResolver
{
    /// <summary>The segments of a dotted path; empty for the whole value.</summary>
    public static IReadOnlyList<string> Split(string? path) =>
        string.IsNullOrWhiteSpace(path) ? [] : path.Split('.');

    /// <returns>True when the path designates a present value (which may be JSON null).</returns>
    public static bool TryResolve(JsonNode? root, string? path, out JsonNode? value)
    {
        var current = root;
        foreach (var segment in Split(path))
        {
            if (!TryStep(current, segment, out current))
            {
                value = null;
                return false;
            }
        }
        value = current;
        return true;
    }

    /// <summary>Resolves <paramref name="target"/> in a block's outputs (handle id → data); a missing handle is absent.</summary>
    public static bool TryResolve(IReadOnlyDictionary<string, JsonNode?> outputs, AssertionTarget target, out JsonNode? value)
    {
        if (outputs.TryGetValue(target.OutputHandleId, out var data))
            return TryResolve(data, target.Path, out value);
        value = null;
        return false;
    }

    private static bool TryStep(JsonNode? current, string segment, out JsonNode? next)
    {
        next = null;
        switch (current)
        {
            case JsonObject obj:
                return obj.TryGetPropertyValue(segment, out next);
            case JsonArray array:
                // Only plain digits: "+1", " 1" or "1e0" would be surprising ways to write an index.
                if (segment.Length == 0 || !segment.All(char.IsAsciiDigit))
                    return false;
                if (!int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= array.Count)
                    return false;
                next = array[index];
                return true;
            default:
                // null (walking through null) or a scalar: nothing to step into.
                return false;
        }
    }
}
