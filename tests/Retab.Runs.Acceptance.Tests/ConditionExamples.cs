namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// One valid condition of each of the 21 kinds, with the path it reads in the output of <see cref="Function"/>,
/// plus a failing and a blocked one: a run of them yields every shape an assertion result takes.
/// </summary>
public static class ConditionExamples
{
    public const string Function = """
        function main(input) {
          return { n: 42, s: "Hello world", list: [1, 2, 3], obj: { a: 1, b: "x" }, parts: { splits: [{ name: "a", pages: [1, 2] }] } };
        }
        """;

    public static IReadOnlyList<(string Path, JsonObject Condition)> All { get; } =
    [
        ("n", new() { ["kind"] = "exists" }),
        ("missing", new() { ["kind"] = "not_exists" }),
        ("n", new() { ["kind"] = "equals", ["expected"] = 42 }),
        ("n", new() { ["kind"] = "not_equals", ["expected"] = null }),
        ("n", new() { ["kind"] = "number_compare", ["op"] = "gte", ["expected"] = 40.5 }),
        ("s", new() { ["kind"] = "contains", ["expected"] = "world" }),
        ("s", new() { ["kind"] = "not_contains", ["expected"] = "xyz" }),
        ("obj", new() { ["kind"] = "object_contains", ["expected"] = new JsonObject { ["a"] = 1 } }),
        ("list", new() { ["kind"] = "array_contains", ["expected"] = 2 }),
        ("s", new() { ["kind"] = "matches_regex", ["pattern"] = "^Hello" }),
        ("obj", new() { ["kind"] = "json_schema_valid", ["schema"] = new JsonObject { ["type"] = "object", ["required"] = new JsonArray("a") } }),
        ("s", new() { ["kind"] = "similarity_gte", ["reference"] = "Hello world!", ["threshold"] = 0.8 }),
        ("s", new() { ["kind"] = "llm_judged_as", ["rubric"] = "A greeting", ["expected_label"] = null }),
        ("s", new() { ["kind"] = "llm_not_judged_as", ["rubric"] = "An insult" }),
        ("list", new() { ["kind"] = "length_compare", ["op"] = "eq", ["expected"] = 3 }),
        ("n", new() { ["kind"] = "between", ["lower"] = 0, ["upper"] = 100, ["inclusive"] = false }),
        ("s", new() { ["kind"] = "starts_with", ["expected"] = "Hello" }),
        ("s", new() { ["kind"] = "ends_with", ["expected"] = "world" }),
        ("list", new() { ["kind"] = "all_items_match", ["condition"] = new JsonObject { ["kind"] = "number_compare", ["op"] = "gt", ["expected"] = 0 } }),
        ("list", new() { ["kind"] = "any_item_matches", ["condition"] = new JsonObject { ["kind"] = "equals", ["expected"] = 3 } }),
        ("parts", new() { ["kind"] = "split_iou_gte", ["expected"] = new JsonObject { ["splits"] = new JsonArray(new JsonObject { ["name"] = "a", ["pages"] = new JsonArray(1, 2) }) }, ["threshold"] = 0.5 }),
        ("n", new() { ["kind"] = "equals", ["expected"] = 0 }),
        ("s", new() { ["kind"] = "number_compare", ["op"] = "lt", ["expected"] = 1 }),
    ];
}
