using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Retab.Runs.Core.Tests.Assertions;

/// <summary>FsCheck generators of small JSON values that hit the interesting edges (1 vs 1.0, true vs 1, null, "", unicode, reasoning___ keys).</summary>
public static class JsonGenerators
{
    private static readonly string[] Strings = ["", "a", "ab", "A", "1", "true", "null", "é", "e\u0301", "😀", "a😀b"];

    private static readonly string[] Keys = ["a", "b", "0", "é", "reasoning___a"];

    public static Gen<JsonNode?> Leaf { get; } = Gen.OneOf(
        Gen.Constant<JsonNode?>(null),
        Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Choose(-2, 2).Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Choose(-2, 2).Select(i => JsonNode.Parse($"{i}.0")),
        Gen.Elements(Strings).Select(s => (JsonNode?)JsonValue.Create(s)));

    /// <summary>Any JSON value, nested a few levels.</summary>
    public static Gen<JsonNode?> Value { get; } = Gen.Sized(size => ValueOf(Math.Min(size, 8)));

    private static Gen<JsonNode?> ValueOf(int size)
    {
        if (size <= 1)
            return Leaf;
        var child = ValueOf(size / 2);
        var array = Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(child, n)).Select(items => (JsonNode?)new JsonArray(items));
        var obj = Gen.Choose(0, 3)
            .SelectMany(n => Gen.ArrayOf(Gen.Zip(Gen.Elements(Keys), child), n))
            .Select(pairs =>
            {
                var result = new JsonObject();
                foreach (var (key, value) in pairs)
                    result[key] = value;
                return (JsonNode?)result;
            });
        return Gen.Frequency((3, Leaf), (1, array), (1, obj));
    }

    /// <summary>Pairs that are often equal (a copy, or a copy written differently) and often not.</summary>
    public static Gen<(JsonNode? Left, JsonNode? Right)> Pairs { get; } =
        Value.SelectMany(left => Gen.Frequency(
            (1, Gen.Constant(left?.DeepClone())),
            (2, Gen.Constant(Rewrite(left))),
            (2, Value)).Select(right => (left, right)));

    /// <summary>
    /// The same value as far as equals is concerned, written differently: integers as x.0, object keys in reverse
    /// order, reasoning___ keys added or changed.
    /// </summary>
    public static JsonNode? Rewrite(JsonNode? node) => node switch
    {
        JsonObject obj => RewriteObject(obj),
        JsonArray array => new JsonArray(array.Select(Rewrite).ToArray()),
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.Number && !value.ToJsonString().Contains('.') =>
            JsonNode.Parse(value.ToJsonString() + ".0"),
        _ => node?.DeepClone(),
    };

    private static JsonObject RewriteObject(JsonObject obj)
    {
        var result = new JsonObject();
        foreach (var (key, value) in obj.Reverse())
            result[key] = key.StartsWith("reasoning___", StringComparison.Ordinal) ? "rewritten reasoning" : Rewrite(value);
        result["reasoning___added"] = "noise";
        return result;
    }

    public static Arbitrary<JsonNode?> ValueArb => Value.ToArbitrary();

    public static Arbitrary<(JsonNode? Left, JsonNode? Right)> PairArb => Pairs.ToArbitrary();
}
