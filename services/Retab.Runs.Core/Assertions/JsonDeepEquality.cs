using System.Text.Json;
using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions;

/// <summary>
/// Strict deep JSON equality as the <c>equals</c> condition defines it: same JSON types (<c>true ≠ 1</c>,
/// <c>"1" ≠ 1</c>), numbers compared by value (<c>1 = 1.0 = 1e0</c>), strings ordinally (no Unicode
/// normalisation, case-sensitive), arrays in order, objects regardless of key order.
/// <see cref="Default"/> ignores object keys starting with <c>reasoning___</c> at any depth on both sides.
/// </summary>
public sealed class JsonDeepEquality : IEqualityComparer<JsonNode?>
{
    /// <summary>Ignores <c>reasoning___*</c> keys (the rule of the <c>equals</c> condition).</summary>
    public static JsonDeepEquality Default { get; } = new(ignoreReasoningKeys: true);

    /// <summary>Compares every key.</summary>
    public static JsonDeepEquality Strict { get; } = new(ignoreReasoningKeys: false);

    private readonly bool _ignoreReasoningKeys;

    private JsonDeepEquality(bool ignoreReasoningKeys) => _ignoreReasoningKeys = ignoreReasoningKeys;

    public bool Equals(JsonNode? x, JsonNode? y) => FindDifference(x, y, "") is null;

    public int GetHashCode(JsonNode? node)
    {
        switch (JsonValues.Kind(node))
        {
            case JsonValueKind.Object:
                // Order-independent combination, because key order does not matter for equality.
                var objectHash = 17;
                foreach (var (key, value) in Members((JsonObject)node!))
                    objectHash += HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), GetHashCode(value));
                return objectHash;
            case JsonValueKind.Array:
                var arrayHash = new HashCode();
                foreach (var item in (JsonArray)node!)
                    arrayHash.Add(GetHashCode(item));
                return arrayHash.ToHashCode();
            case JsonValueKind.String:
                JsonValues.TryGetString(node, out var text);
                return StringComparer.Ordinal.GetHashCode(text);
            case JsonValueKind.Number:
                JsonValues.TryGetNumber(node, out var number);
                return number.EqualityHash();
            case var kind:
                return (int)kind;
        }
    }

    /// <summary>
    /// Where two values first differ, as a dotted path relative to them ("" for the values themselves,
    /// <c>lines.0.amount</c> deeper), with the two differing parts. Null when they are equal.
    /// </summary>
    public JsonDifference? FindDifference(JsonNode? expected, JsonNode? actual) => FindDifference(expected, actual, "");

    private JsonDifference? FindDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        var kind = JsonValues.Kind(expected);
        var otherKind = JsonValues.Kind(actual);
        // true and false are two JsonValueKinds; either way, different kinds are different values.
        if (kind != otherKind)
            return new JsonDifference(path, expected, actual);

        switch (kind)
        {
            case JsonValueKind.Object:
                return FindObjectDifference((JsonObject)expected!, (JsonObject)actual!, path);
            case JsonValueKind.Array:
                var left = (JsonArray)expected!;
                var right = (JsonArray)actual!;
                var common = Math.Min(left.Count, right.Count);
                for (var i = 0; i < common; i++)
                {
                    if (FindDifference(left[i], right[i], Join(path, i.ToString(System.Globalization.CultureInfo.InvariantCulture))) is { } inner)
                        return inner;
                }
                return left.Count == right.Count ? null : new JsonDifference(path, expected, actual);
            case JsonValueKind.String:
                JsonValues.TryGetString(expected, out var a);
                JsonValues.TryGetString(actual, out var b);
                return string.Equals(a, b, StringComparison.Ordinal) ? null : new JsonDifference(path, expected, actual);
            case JsonValueKind.Number:
                JsonValues.TryGetNumber(expected, out var m);
                JsonValues.TryGetNumber(actual, out var n);
                return m.CompareTo(n) == 0 ? null : new JsonDifference(path, expected, actual);
            default:
                // null, true, false: the kind is the value.
                return null;
        }
    }

    private JsonDifference? FindObjectDifference(JsonObject expected, JsonObject actual, string path)
    {
        var expectedCount = 0;
        foreach (var (key, value) in Members(expected))
        {
            expectedCount++;
            if (!actual.TryGetPropertyValue(key, out var other))
                return new JsonDifference(Join(path, key), value, null, MissingInActual: true);
            if (FindDifference(value, other, Join(path, key)) is { } inner)
                return inner;
        }
        if (Members(actual).Count() == expectedCount)
            return null;
        // Same count check failed: the actual object has a key the expected one lacks.
        var extra = Members(actual).First(p => !expected.ContainsKey(p.Key));
        return new JsonDifference(Join(path, extra.Key), null, extra.Value, MissingInExpected: true);
    }

    internal IEnumerable<KeyValuePair<string, JsonNode?>> Members(JsonObject obj) =>
        _ignoreReasoningKeys ? obj.Where(p => !JsonValues.IsReasoningKey(p.Key)) : obj;

    private static string Join(string path, string segment) => path.Length == 0 ? segment : path + "." + segment;
}

/// <summary>The first place where two JSON values differ (see <see cref="JsonDeepEquality.FindDifference(JsonNode?, JsonNode?)"/>).</summary>
/// <param name="Path">Dotted path relative to the compared values; "" for the values themselves.</param>
/// <param name="MissingInActual">The expected side has a key the actual side lacks.</param>
/// <param name="MissingInExpected">The actual side has a key the expected side lacks.</param>
public sealed record JsonDifference(string Path, JsonNode? Expected, JsonNode? Actual, bool MissingInActual = false, bool MissingInExpected = false);
