using System.Text.Json.Nodes;
using System.Globalization;

namespace Retab.Runs.Core.Limits;

/// <summary>
/// How many bytes a value takes as compact JSON in UTF-8, escaped as <c>JSON.stringify</c> and System.Text.Json's
/// relaxed encoder escape it: quotes, backslashes and control characters, and lone surrogates as <c>\uXXXX</c>;
/// everything else as its UTF-8 bytes. Used to refuse an output before anything serializes it.
/// </summary>
public static class JsonText
{
    /// <summary>The string with its quotes; stops counting once past <paramref name="stopAbove"/> (the result is then above it, not exact).</summary>
    public static long StringBytes(ReadOnlySpan<char> text, long stopAbove = long.MaxValue)
    {
        long bytes = 2;
        for (var i = 0; i < text.Length && bytes <= stopAbove; i++)
        {
            var c = text[i];
            if (c is '"' or '\\' or '\b' or '\f' or '\n' or '\r' or '\t')
                bytes += 2;
            else if (c < ' ')
                bytes += 6;
            else if (c < 0x80)
                bytes += 1;
            else if (c < 0x800)
                bytes += 2;
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                bytes += 4;
                i++;
            }
            else if (char.IsSurrogate(c))
                bytes += 6;
            else
                bytes += 3;
        }
        return bytes;
    }

    /// <summary>
    /// Reads a string value. System.Text.Json accepts an escaped unpaired surrogate (<c>"\ud800"</c>) while parsing and
    /// throws only when the string is read: false then. <paramref name="text"/> is null for a value not held as a string.
    /// </summary>
    public static bool TryReadString(JsonValue value, out string? text)
    {
        try
        {
            if (!value.TryGetValue(out text))
                text = null;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    /// <summary>An object's members; false when a property name holds an unpaired surrogate (decoded, and thrown on, at first enumeration).</summary>
    public static bool TryReadMembers(JsonObject obj, out List<KeyValuePair<string, JsonNode?>> members)
    {
        try
        {
            members = [.. obj];
            return true;
        }
        catch (InvalidOperationException)
        {
            members = [];
            return false;
        }
    }

    /// <summary>True when <paramref name="text"/> holds a UTF-16 surrogate without its pair: valid in memory, not as text.</summary>
    public static bool HasUnpairedSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(text[i]))
                return true;
        }
        return false;
    }

    /// <summary>A number as JavaScript writes it; NaN and the infinities become <c>null</c>.</summary>
    public static int NumberBytes(double number)
    {
        if (!double.IsFinite(number))
            return 4;
        var magnitude = Math.Abs(number);
        var sign = number < 0 ? 1 : 0;
        // JavaScript writes integers below 1e21 in full, where .NET's shortest form would use an exponent.
        if (magnitude < 1e21 && Math.Floor(magnitude) == magnitude)
        {
            var digits = 1;
            for (var power = 10.0; power <= magnitude; power *= 10)
                digits++;
            return sign + digits;
        }
        Span<char> buffer = stackalloc char[32];
        return number.TryFormat(buffer, out var written, "R", CultureInfo.InvariantCulture) ? written : 24;
    }
}
