using System.Net;
using Retab.Runs.Integration.Tests.Infrastructure;
using Retab.Runs.Testing.ModelServer;

namespace Retab.Runs.Integration.Tests.Faults;

/// <summary>
/// A workflow and its saved tests, created over the public API, with the verdicts they must end with: every
/// <see cref="FailEvery"/>th test fails on purpose, so passed and failed counts are both exact and non-zero.
/// </summary>
public sealed record Workload(string WorkflowId, int Total, int Failing)
{
    private const int FailEvery = 7;

    private const string BlockId = "block_under_test";
    private const int CreatedAtOnce = 16;

    public int Passing => Total - Failing;

    /// <summary>Function tests as fast as the services go: the block echoes <c>i</c>, the assertion wants <c>i</c> (or -1, to fail).</summary>
    public static WorkloadRecipe Echo(int count) => new($"echo-{count}", api => CreateAsync(api, count,
        "function main(input) { return { v: input.i }; }",
        i => new JsonObject { ["i"] = i },
        i => new JsonObject { ["kind"] = "equals", ["expected"] = IsFailing(i) ? -1 : i }));

    /// <summary>
    /// Function tests at a pace the test sets without burning CPU: the block echoes a word, and an <c>llm_judged_as</c>
    /// assertion asks the model server whether it names a fruit; <see cref="JudgeFruit"/> answers after a delay. A run
    /// then lasts long enough to stop the broker in the middle of it, several times.
    /// </summary>
    public static WorkloadRecipe Judged(int count) => new($"judged-{count}", api => CreateAsync(api, count,
        "function main(input) { return { v: input.word }; }",
        i => new JsonObject { ["word"] = IsFailing(i) ? "granite" : "apple" },
        _ => new JsonObject { ["kind"] = "llm_judged_as", ["rubric"] = "The value names something one can eat." }));

    /// <summary>An <c>extract</c> block on JSON text: one model call per test, answered whenever the model server says.</summary>
    public static WorkloadRecipe Extract(int count) => new($"extract-{count}", api => ExtractAsync(api, count));

    private static async Task<Workload> ExtractAsync(Api api, int count)
    {
        var workflowId = (await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v1/workflows", new JsonObject
        {
            ["name"] = "fault extract",
            ["blocks"] = new JsonArray(new JsonObject
            {
                ["id"] = BlockId,
                ["type"] = "extract",
                ["name"] = BlockId,
                ["config"] = new JsonObject
                {
                    ["json_schema"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject { ["total"] = new JsonObject { ["type"] = "number" } },
                        ["required"] = new JsonArray("total"),
                    },
                },
            }),
        }))["id"]!.GetValue<string>();
        await CreateTestsAsync(api, workflowId, count, i => new JsonObject { ["text"] = $"Invoice {i}, total {i} EUR" },
            "total", i => new JsonObject { ["kind"] = "equals", ["expected"] = i });
        return new Workload(workflowId, count, 0);
    }

    /// <summary>The model server's judgement for <see cref="Judged"/> tests, after <paramref name="delay"/>.</summary>
    public static Func<ChatRequestSeen, ModelAnswer> JudgeFruit(TimeSpan delay) => request =>
    {
        var fruit = request.Text.Contains("\"apple\"", StringComparison.Ordinal);
        return ModelAnswer.Json(new { explanation = "judged by the fault tests", label = fruit ? "fruit" : "not fruit", matches = fruit }).After(delay);
    };

    private static bool IsFailing(int i) => i % FailEvery == 0;

    private static async Task<Workload> CreateAsync(Api api, int count, string code, Func<int, JsonObject> input, Func<int, JsonObject> condition)
    {
        var workflowId = await api.CreateFunctionWorkflowAsync(BlockId, code);
        await CreateTestsAsync(api, workflowId, count, input, "v", condition);
        return new Workload(workflowId, count, Enumerable.Range(0, count).Count(IsFailing));
    }

    private static async Task CreateTestsAsync(
        Api api, string workflowId, int count, Func<int, JsonObject> input, string path, Func<int, JsonObject> condition)
    {
        for (var start = 0; start < count; start += CreatedAtOnce)
        {
            await Task.WhenAll(Enumerable.Range(start, Math.Min(CreatedAtOnce, count - start))
                .Select(i => api.CreateTestAsync(workflowId, BlockId, input(i), path, condition(i))));
        }
    }
}
