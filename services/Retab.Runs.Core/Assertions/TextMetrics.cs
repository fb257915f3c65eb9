using System.Globalization;

namespace Retab.Runs.Core.Assertions;

/// <summary>
/// Text measures on user-perceived characters: Unicode extended grapheme clusters ("text elements"), so
/// that "é" written as e + combining accent, a flag or an emoji with a skin tone each count as one.
/// No normalisation and no case folding: "é" (precomposed) and "é" (decomposed) are different text elements.
/// </summary>
internal static class TextMetrics
{
    public static int Length(string text) => new StringInfo(text).LengthInTextElements;

    public static string[] TextElements(string text)
    {
        var elements = new List<string>(text.Length);
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
            elements.Add(enumerator.GetTextElement());
        return [.. elements];
    }

    /// <summary>1 - levenshtein(a, b) / max(len a, len b), in text elements; two empty strings are identical (1).</summary>
    public static double LevenshteinSimilarity(string a, string b, CancellationToken cancellationToken)
    {
        var left = TextElements(a);
        var right = TextElements(b);
        var longest = Math.Max(left.Length, right.Length);
        if (longest == 0)
            return 1.0;
        return 1.0 - (double)LevenshteinDistance(left, right, cancellationToken) / longest;
    }

    /// <summary>Classic dynamic programme over two rows (O(n·m) time, O(m) memory).</summary>
    public static int LevenshteinDistance(string[] left, string[] right, CancellationToken cancellationToken)
    {
        var previous = new int[right.Length + 1];
        var current = new int[right.Length + 1];
        for (var j = 0; j <= right.Length; j++)
            previous[j] = j;

        for (var i = 1; i <= left.Length; i++)
        {
            // Quadratic on long texts: let a cancelled evaluation stop instead of running to the end.
            cancellationToken.ThrowIfCancellationRequested();
            current[0] = i;
            for (var j = 1; j <= right.Length; j++)
            {
                var substitution = previous[j - 1] + (string.Equals(left[i - 1], right[j - 1], StringComparison.Ordinal) ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[right.Length];
    }
}
