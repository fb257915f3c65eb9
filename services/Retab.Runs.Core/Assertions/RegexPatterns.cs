using System.Text.RegularExpressions;

namespace Retab.Runs.Core.Assertions;

/// <summary>
/// Compiles <c>matches_regex</c> patterns (.NET regular-expression syntax) with a match timeout so that a
/// catastrophic pattern such as <c>(a+)+$</c> ends as <c>regex_timeout</c> instead of holding a worker.
/// </summary>
internal static class RegexPatterns
{
    /// <summary>Generous for any sane pattern on an extraction output, short enough not to stall a run.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    private static readonly BoundedCache<string, RegexCompilation> Cache = new(capacity: 512);

    public static RegexCompilation Compile(string pattern) => Cache.GetOrAdd(pattern, static p =>
    {
        try
        {
            // Interpreted (not RegexOptions.Compiled): most patterns run a handful of times, and
            // compiling IL for each user pattern would cost more than it saves.
            return new RegexCompilation(new Regex(p, RegexOptions.CultureInvariant, MatchTimeout), null);
        }
        catch (ArgumentException ex)
        {
            return new RegexCompilation(null, ex.Message);
        }
    });
}

/// <summary>Either a compiled regex or why the pattern is invalid.</summary>
internal sealed record RegexCompilation(Regex? Regex, string? Error);
