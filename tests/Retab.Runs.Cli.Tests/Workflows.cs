using System.Net;
using Retab.Runs.Acceptance.Tests;

namespace Retab.Runs.Cli.Tests;

/// <summary>The workflows the CLI tests run, made through the API.</summary>
public static class Workflows
{
    public const string TotalBlock = "block_total";
    public const string Total = "function main(input) { return { total: input.net + input.tax }; }";

    /// <summary>A function block and one test per expected total (the input always sums to 120).</summary>
    public static async Task<string> WithTotalTestsAsync(ApiClient api, params int[] expectedTotals)
    {
        var workflowId = await api.CreateWorkflowAsync((TotalBlock, Total));
        foreach (var expected in expectedTotals)
            await api.CreateTestAsync(workflowId, TotalBlock, new JsonObject { ["net"] = 100, ["tax"] = 20 }, "total",
                Functions.Condition("equals", expected), $"total is {expected}");
        return workflowId;
    }

    /// <summary>An extract block: with the host's model server unreachable, its test ends in lifecycle error.</summary>
    public static async Task<string> WithUnreachableModelAsync(ApiClient api)
    {
        var created = await api.PostAsync("/v1/workflows", new JsonObject
        {
            ["name"] = "model down",
            ["blocks"] = new JsonArray(new JsonObject
            {
                ["id"] = "block_extract",
                ["type"] = "extract",
                ["name"] = "Extract",
                ["config"] = new JsonObject
                {
                    ["json_schema"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject { ["total"] = new JsonObject { ["type"] = "number" } },
                    },
                },
            }),
        });
        var workflowId = created.ShouldBe(HttpStatusCode.Created).Id;
        var test = ApiClient.TestBody(workflowId, "block_extract", "Total: 120 EUR", "total", Functions.Condition("exists"), "extracts a total");
        (await api.PostAsync("/v1/workflows/tests", test)).ShouldBe(HttpStatusCode.Created);
        return workflowId;
    }

    /// <summary>Many tests that each keep a sandbox thread busy for 100 ms: the run is still going seconds later.</summary>
    public static async Task<string> WithSlowTestsAsync(ApiClient api, int count)
    {
        var workflowId = await api.CreateWorkflowAsync(("block_slow", Functions.Slow));
        for (var i = 0; i < count; i++)
            await api.CreateTestAsync(workflowId, "block_slow", new JsonObject { ["i"] = i }, "done", Functions.Condition("equals", true), $"slow {i}");
        return workflowId;
    }
}
