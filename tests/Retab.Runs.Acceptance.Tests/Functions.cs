namespace Retab.Runs.Acceptance.Tests;

/// <summary>JavaScript of the function blocks the acceptance tests run.</summary>
public static class Functions
{
    public const string Math = """
        function main(input) {
          if (input.explode) throw new Error("kaboom");
          return { total: input.a + input.b, vendor: { name: "ACME" } };
        }
        """;

    public const string Upper = "function main(input) { return { text: String(input).toUpperCase() }; }";

    public const string Echo = "function main(input) { return { v: input.i }; }";

    /// <summary>Busy for about 100 ms, so a run of a few dozen of them is still going when it is cancelled.</summary>
    public const string Slow = "function main(input) { var end = Date.now() + 100; while (Date.now() < end) {} return { done: true }; }";

    public static JsonObject Condition(string kind, JsonNode? expected = null, string expectedKey = "expected")
    {
        var condition = new JsonObject { ["kind"] = kind };
        if (expected is not null)
            condition[expectedKey] = expected;
        return condition;
    }
}
