using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Retab.Runs.Cli.Api;

/// <summary>Lenient reads of the API's snake_case JSON: a missing or differently typed field is null, never an exception.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string? Str(this JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>Whatever CLR type backs the number (parsed JSON, or an <c>int</c> a test put there).</summary>
    public static long? Long(this JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? (long)number
            : null;

    public static int Int(this JsonNode? node, params string[] path) => (int)(Long(node, path) ?? 0);

    public static JsonNode? At(this JsonNode? node, params string[] path)
    {
        foreach (var name in path)
            node = node is JsonObject obj ? obj[name] : null;
        return node;
    }

    /// <summary>Compact JSON of a value for a table cell (strings without their quotes).</summary>
    public static string Compact(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
