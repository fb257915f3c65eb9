namespace Retab.Runs.Gateway.Auth;

/// <summary>
/// What a key chosen by a person (<c>Auth:ApiKeys:N:Key</c>, <c>Auth:AdminKey</c>) must be for the service to start:
/// <list type="bullet">
/// <item>at least <see cref="MinLength"/> characters, printable ASCII without spaces (what a header carries unchanged);</item>
/// <item>not a shorter string repeated (<c>changemechangeme…</c>);</item>
/// <item>at least <see cref="MinEntropyBits"/> bits by the Shannon entropy of its character counts (entropy per
/// character × length): that rejects one repeated character and keys drawn from a handful of symbols, while every
/// generator tried passes with room to spare (<c>openssl rand -hex 16</c>: 89 bits at worst over 300,000 draws;
/// <c>openssl rand -base64 24</c>: 119; a UUID: 108).</item>
/// </list>
/// No count of characters can see a dictionary word: the length and a random generator are what make a key strong.
/// Generated keys (<see cref="Core.Organizations.ApiKey.NewSecret"/>) are strong by construction and not checked.
/// </summary>
public static class KeyStrength
{
    public const int MinLength = 32;
    public const double MinEntropyBits = 80;

    public const string Advice = "Generate one with: openssl rand -base64 32";

    /// <summary>Why <paramref name="key"/> is too weak, or null when it is strong enough. Never quotes the key.</summary>
    public static string? Weakness(string key)
    {
        if (key.Length < MinLength)
            return $"it has {key.Length} characters, and a key needs at least {MinLength}";
        if (key.Any(c => c is < '!' or > '~'))
            return "it holds a space, a control character or a non-ASCII character; use printable ASCII only";
        if (RepeatsShorterString(key))
            return "it is a shorter string repeated";
        var bits = EntropyBits(key);
        return bits < MinEntropyBits
            ? $"its characters carry about {Math.Floor(bits)} bits (Shannon entropy of their counts), and a key needs at least {MinEntropyBits}"
            : null;
    }

    /// <summary>Entropy per character of the key's own character counts, times its length.</summary>
    public static double EntropyBits(string key) =>
        key.GroupBy(c => c)
            .Select(g => (double)g.Count() / key.Length)
            .Sum(p => -p * Math.Log2(p)) * key.Length;

    /// <summary>True when some period of at most half the length repeats through the whole key.</summary>
    private static bool RepeatsShorterString(string key)
    {
        for (var period = 1; period <= key.Length / 2; period++)
        {
            var repeats = true;
            for (var i = period; i < key.Length && repeats; i++)
                repeats = key[i] == key[i - period];
            if (repeats)
                return true;
        }
        return false;
    }
}
