using System.Net;
using System.Net.Http.Json;

namespace Retab.Runs.Dashboard.Tests;

/// <summary>What the scenarios need, created through the public API: a workflow with a function block and its tests.</summary>
public static class Seed
{
    public const string BlockId = "block_total";

    /// <summary>A test name that would run script if the page ever put API data into markup.</summary>
    public const string HostileName = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=1</script> total is 999";

    private const string TotalFunction = "function main(input) { return { total: input.net + input.tax, currency: input.currency }; }";

    /// <summary>The same total, computed slowly (about 800 ms of busy work), so a run is still going when a page opens.</summary>
    public const string SlowTotalFunction =
        "function main(input) { var end = Date.now() + 800; while (Date.now() < end) {} return { total: input.net + input.tax, currency: input.currency }; }";

    /// <summary>A workflow whose block computes 120, with tests expecting 120 (twice, passing) and 999 (failing).</summary>
    public static async Task<string> WorkflowWithThreeTestsAsync(HttpClient api, string name, string code = TotalFunction)
    {
        var workflow = await PostAsync(api, "/v1/workflows", new JsonObject
        {
            ["name"] = name,
            ["blocks"] = new JsonArray(new JsonObject
            {
                ["id"] = BlockId, ["type"] = "function", ["name"] = "Total",
                ["config"] = new JsonObject { ["code"] = code },
            }),
        });
        var workflowId = workflow["id"]!.GetValue<string>();
        foreach (var (testName, expected) in new[] { ("total is 120", 120), ("total is still 120", 120), (HostileName, 999) })
            await PostAsync(api, "/v1/workflows/tests", Test(workflowId, testName, expected));
        return workflowId;
    }

    private static JsonObject Test(string workflowId, string name, int expected) => new()
    {
        ["workflow_id"] = workflowId,
        ["name"] = name,
        ["target"] = new JsonObject { ["type"] = "block", ["block_id"] = BlockId },
        ["source"] = new JsonObject
        {
            ["type"] = "manual",
            ["handle_inputs"] = new JsonObject
            {
                ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = new JsonObject { ["net"] = 100, ["tax"] = 20, ["currency"] = "EUR" } },
            },
        },
        ["assertion"] = new JsonObject
        {
            ["target"] = new JsonObject { ["output_handle_id"] = "output-json-0", ["path"] = "total" },
            ["condition"] = new JsonObject { ["kind"] = "equals", ["expected"] = expected },
        },
    };

    public static async Task<JsonNode> GetAsync(HttpClient api, string path)
    {
        using var response = await api.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public static async Task<JsonNode> PostAsync(HttpClient api, string path, JsonObject body)
    {
        using var response = await api.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
