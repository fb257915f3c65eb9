using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;

namespace Retab.Runs.Core.Tests.Assertions;

public class SchemaComplexityTests
{
    /// <summary><paramref name="levels"/> definitions, each referencing the next twice: 2^levels subschemas once expanded.</summary>
    private static JsonObject Doubling(int levels)
    {
        var defs = new JsonObject();
        for (var level = 0; level < levels; level++)
        {
            defs[$"l{level}"] = level == levels - 1
                ? new JsonObject { ["type"] = "string" }
                : new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = $"#/$defs/l{level + 1}" }, new JsonObject { ["$ref"] = $"#/$defs/l{level + 1}" }) };
        }
        return new JsonObject { ["$defs"] = defs, ["$ref"] = "#/$defs/l0" };
    }

    [Fact]
    public void Doubling_references_grow_the_count_exponentially_and_the_count_stops_at_the_budget()
    {
        var four = SchemaComplexity.ExpandedNodes(Doubling(4), 1_000_000);
        var five = SchemaComplexity.ExpandedNodes(Doubling(5), 1_000_000);
        Assert.True(five > four * 3 / 2, $"4 levels: {four}, 5 levels: {five}");

        Assert.Equal(10_001, SchemaComplexity.ExpandedNodes(Doubling(60), 10_000));
    }

    [Fact]
    public void A_recursive_schema_is_counted_once_not_unrolled()
    {
        var tree = JsonNode.Parse("""
            {"$defs": {"node": {"type": "object", "properties": {
                "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
                "parent": {"$ref": "#/$defs/node"}}}},
             "$ref": "#/$defs/node"}
            """)!;
        Assert.InRange(SchemaComplexity.ExpandedNodes(tree, 10_000), 1, 100);
        Assert.InRange(SchemaComplexity.ExpandedNodes(JsonNode.Parse("""{"$ref": "#"}""")!, 10_000), 1, 5);
    }

    [Fact]
    public void Unresolvable_and_remote_references_are_left_to_the_compiler()
    {
        var schema = JsonNode.Parse("""{"allOf": [{"$ref": "#/$defs/missing"}, {"$ref": "https://example.com/s.json"}, {"$ref": "#/allOf/~0x"}]}""")!;
        Assert.InRange(SchemaComplexity.ExpandedNodes(schema, 10_000), 1, 20);
    }

    [Fact]
    public void A_schema_over_the_budget_is_an_invalid_condition_without_being_compiled()
    {
        var condition = new JsonObject { ["kind"] = "json_schema_valid", ["schema"] = Doubling(40) };
        var issues = ConditionValidator.Validate(condition);
        var issue = Assert.Single(issues);
        Assert.Equal("schema_too_complex", issue.Type);
        Assert.Contains("Limits:MaxSchemaNodes", issue.Msg);
    }
}
