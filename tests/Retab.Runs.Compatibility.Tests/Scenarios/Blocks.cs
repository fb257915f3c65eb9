namespace Retab.Runs.Compatibility.Tests.Scenarios;

/// <summary>Function blocks and the test bodies the scenarios save (DESIGN §3.2, §3.3).</summary>
public static class Blocks
{
    public const string Math = """
        function main(input) {
          if (input.explode) throw new Error("kaboom");
          return { total: input.a + input.b, vendor: { name: "ACME" } };
        }
        """;

    public const string Upper = "function main(input) { return { text: String(input).toUpperCase() }; }";

    /// <summary>Busy for about 100 ms, so a run of a few dozen is still going when it is read or cancelled.</summary>
    public const string Slow = "function main(input) { var end = Date.now() + 100; while (Date.now() < end) {} return { done: true }; }";

    public static JsonObject Function(string id, string code) => new()
    {
        ["id"] = id,
        ["type"] = "function",
        ["name"] = id,
        ["config"] = new JsonObject { ["code"] = code },
    };

    public static JsonObject Test(string workflowId, string blockId, JsonNode? input, string? path, JsonObject condition, string? name = null, string? label = null)
    {
        var assertion = new JsonObject
        {
            ["target"] = new JsonObject { ["output_handle_id"] = "output-json-0", ["path"] = path },
            ["condition"] = condition,
        };
        if (label is not null)
            assertion["label"] = label;
        return new JsonObject
        {
            ["workflow_id"] = workflowId,
            ["name"] = name,
            ["target"] = new JsonObject { ["type"] = "block", ["block_id"] = blockId },
            ["source"] = new JsonObject
            {
                ["type"] = "manual",
                ["handle_inputs"] = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = input?.DeepClone() } },
            },
            ["assertion"] = assertion,
        };
    }

    public static JsonObject EqualTo(JsonNode expected) => new() { ["kind"] = "equals", ["expected"] = expected };
}
