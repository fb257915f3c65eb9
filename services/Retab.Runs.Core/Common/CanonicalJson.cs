using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Common;

/// <summary>
/// Canonical JSON (object keys sorted ordinally, no whitespace) and fingerprints over it, so that
/// the same content always hashes the same whatever key order a client sent.
/// </summary>
public static class CanonicalJson
{
    public static string Serialize(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, node);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary><c>sha256:</c> + the first 32 hex chars of the SHA-256 of the canonical JSON.</summary>
    public static string Fingerprint(JsonNode? node) => FingerprintOf(Serialize(node));

    public static string FingerprintOf(params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        return "sha256:" + Convert.ToHexStringLower(hash)[..32];
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                    Write(writer, item);
                writer.WriteEndArray();
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                writer.WriteRawValue(Number(value));
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    /// <summary>
    /// One spelling per number: <c>1</c>, <c>1.0</c> and <c>1e0</c> are one value to <c>equals</c>, so they must be one
    /// fingerprint too, or a cosmetic edit of a test input would make its results stale. Exact as a decimal (28 digits);
    /// beyond that, the shortest text that round-trips the double.
    /// </summary>
    private static string Number(JsonValue value)
    {
        var text = value.ToJsonString();
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact))
            return (exact / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
        // Past the double's range (1e400) the text is the only exact value there is.
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var approximate) && double.IsFinite(approximate)
            ? approximate.ToString("R", CultureInfo.InvariantCulture)
            : text;
    }
}
