using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;

namespace Retab.Runs.Blocks.Model;

/// <summary>
/// Consolidates N answers of one question the way Retab's consensus does: per leaf, the value most answers agree on,
/// and beside it the share of all N answers that agreed (rounded to 3 places, so 2 of 3 is 0.667).
/// <list type="bullet">
/// <item>Answers are first grouped by kind (object, array, anything else); the most common kind wins, and only
/// answers of that kind vote below it (the others count as disagreeing).</item>
/// <item>Objects vote key by key (keys in order of first appearance); arrays take the most common length and vote
/// index by index.</item>
/// <item>Leaves compare as strict JSON (<c>1 = 1.0</c>, <c>true ≠ 1</c>, strings exactly). A tie goes to the value
/// that appeared first, so the outcome is deterministic.</item>
/// </list>
/// </summary>
public static class ConsensusVote
{
    public sealed record Outcome(JsonNode? Value, JsonNode? Likelihoods);

    public static Outcome Vote(IReadOnlyList<JsonNode?> answers)
    {
        ArgumentOutOfRangeException.ThrowIfZero(answers.Count);
        return Vote(answers, answers.Count);
    }

    /// <returns>The index of the first answer of the winning value, and the share of <paramref name="voters"/> that gave it.</returns>
    public static (int Winner, double Share) Leaf(IReadOnlyList<JsonNode?> values, int voters)
    {
        var (winner, count) = Majority(values, JsonDeepEquality.Strict);
        return (winner, Share(count, voters));
    }

    private static Outcome Vote(IReadOnlyList<JsonNode?> answers, int voters)
    {
        var kinds = answers.Select(KindOf).ToList();
        var (first, _) = Majority(kinds, EqualityComparer<Kind>.Default);
        var winningKind = kinds[first];
        var sameKind = answers.Where((_, i) => kinds[i] == winningKind).ToList();
        return winningKind switch
        {
            Kind.Object => VoteObjects(sameKind.Cast<JsonObject>().ToList(), voters),
            Kind.Array => VoteArrays(sameKind.Cast<JsonArray>().ToList(), voters),
            _ => VoteLeaves(answers, voters),
        };
    }

    private static Outcome VoteObjects(List<JsonObject> objects, int voters)
    {
        var value = new JsonObject();
        var likelihoods = new JsonObject();
        foreach (var key in objects.SelectMany(o => o.Select(p => p.Key)).Distinct(StringComparer.Ordinal).ToList())
        {
            var outcome = Vote(objects.Where(o => o.ContainsKey(key)).Select(o => o[key]).ToList(), voters);
            value[key] = outcome.Value;
            likelihoods[key] = outcome.Likelihoods;
        }
        return new Outcome(value, likelihoods);
    }

    private static Outcome VoteArrays(List<JsonArray> arrays, int voters)
    {
        var lengths = arrays.Select(a => a.Count).ToList();
        var length = lengths[Majority(lengths, EqualityComparer<int>.Default).Winner];
        var value = new JsonArray();
        var likelihoods = new JsonArray();
        for (var i = 0; i < length; i++)
        {
            var outcome = Vote(arrays.Where(a => a.Count > i).Select(a => a[i]).ToList(), voters);
            value.Add(outcome.Value);
            likelihoods.Add(outcome.Likelihoods);
        }
        return new Outcome(value, likelihoods);
    }

    private static Outcome VoteLeaves(IReadOnlyList<JsonNode?> leaves, int voters)
    {
        var (winner, share) = Leaf(leaves, voters);
        return new Outcome(leaves[winner]?.DeepClone(), JsonValue.Create(share));
    }

    /// <returns>The index of the first item of the most frequent value (ties: the one seen first) and how often it occurs.</returns>
    private static (int Winner, int Count) Majority<T>(IReadOnlyList<T> items, IEqualityComparer<T> comparer)
    {
        var (winner, best) = (0, 0);
        for (var i = 0; i < items.Count; i++)
        {
            // Only the first occurrence of a value counts it, so a later equal value cannot win a tie.
            if (Enumerable.Range(0, i).Any(j => comparer.Equals(items[j], items[i])))
                continue;
            var count = items.Count(other => comparer.Equals(other, items[i]));
            if (count > best)
                (winner, best) = (i, count);
        }
        return (winner, best);
    }

    private static double Share(int count, int voters) => Math.Round((double)count / voters, 3);

    private enum Kind { Object, Array, Leaf }

    private static Kind KindOf(JsonNode? node) => node switch
    {
        JsonObject => Kind.Object,
        JsonArray => Kind.Array,
        _ => Kind.Leaf,
    };
}
