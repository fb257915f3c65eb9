using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions;

/// <summary>Type tests and conversions on <see cref="JsonNode"/> that work whatever backs the node (parsed JSON or CLR values).</summary>
internal static class JsonValues
{
    /// <summary>Prefix of the reasoning fields Retab's extraction adds next to real data; equality and key counts ignore them.</summary>
    public const string ReasoningKeyPrefix = "reasoning___";

    private static readonly JsonSerializerOptions MessageOptions = new()
    {
        // Messages are read by people: keep "é" and "€" readable instead of \u00e9.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static bool IsReasoningKey(string key) => key.StartsWith(ReasoningKeyPrefix, StringComparison.Ordinal);

    /// <summary>The JSON kind of a node; a C# null is JSON null.</summary>
    public static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    public static bool IsNumber(JsonNode? node) => Kind(node) == JsonValueKind.Number;

    public static bool IsBoolean(JsonNode? node) => Kind(node) is JsonValueKind.True or JsonValueKind.False;

    public static bool TryGetString(JsonNode? node, out string value)
    {
        value = "";
        if (node is not JsonValue jsonValue || Kind(node) != JsonValueKind.String)
            return false;
        // A CLR-backed value (Guid, char, enum…) has no string to hand out; its JSON text always does.
        value = jsonValue.TryGetValue<string>(out var text)
            ? text
            : JsonSerializer.Deserialize<string>(jsonValue.ToJsonString()) ?? "";
        return true;
    }

    public static bool TryGetNumber(JsonNode? node, out JsonNumber value)
    {
        value = default;
        if (!IsNumber(node))
            return false;
        // The JSON text is the one representation every backing (JsonElement, int, double, decimal…) agrees on.
        value = JsonNumber.Parse(node!.ToJsonString());
        return true;
    }

    /// <summary>A number with no fractional part (<c>3</c> or <c>3.0</c>) that fits a long.</summary>
    public static bool TryGetInteger(JsonNode? node, out long value)
    {
        value = 0;
        if (!TryGetNumber(node, out var number) || number.Decimal is not { } d || d != decimal.Truncate(d) || d < long.MinValue || d > long.MaxValue)
            return false;
        value = (long)d;
        return true;
    }

    /// <summary>Compact JSON for messages, cut to <paramref name="maxLength"/> characters.</summary>
    public static string Render(JsonNode? node, int maxLength = 200)
    {
        var text = node is null ? "null" : node.ToJsonString(MessageOptions);
        return text.Length <= maxLength ? text : text[..maxLength] + "…";
    }

    /// <summary>A short name of the JSON type for type-error messages ("string", "number", "array"…).</summary>
    public static string TypeName(JsonNode? node) => Kind(node) switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    public static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>
/// A JSON number, kept as a decimal when it fits (exact: <c>0.1 + 0.2 ≠ 0.3</c> stays true, <c>1 = 1.0</c>)
/// and as a double otherwise (very large or tiny magnitudes).
/// </summary>
internal readonly record struct JsonNumber(decimal? Decimal, double Double)
{
    public static JsonNumber Parse(string text)
    {
        var dbl = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var dec)
            ? new JsonNumber(dec, dbl)
            : new JsonNumber(null, dbl);
    }

    public static JsonNumber From(double value) => new(null, value);

    public int CompareTo(JsonNumber other) =>
        Decimal is { } a && other.Decimal is { } b ? a.CompareTo(b) : Double.CompareTo(other.Double);

    /// <summary>Consistent with <see cref="CompareTo"/> == 0: equal decimals convert to the same double.</summary>
    public int EqualityHash() => Double == 0 ? 0 : Double.GetHashCode();

    public override string ToString() =>
        Decimal is { } d ? d.ToString(CultureInfo.InvariantCulture) : JsonValues.Invariant(Double);
}
