using System.Net;
using Retab.Runs.Compatibility.Tests.Hosts;
using Retab.Runs.Compatibility.Tests.Payloads;

namespace Retab.Runs.Compatibility.Tests.Scenarios;

/// <summary>
/// Function blocks on the standalone host: tests saved, read, listed and patched; runs of every scope that end with
/// passed, failed and blocked results; runs and results listed with filters; a test whose block left the draft; and
/// the 401, 404, 409 and both 422 answers.
/// </summary>
public static class FunctionRunScenario
{
    private const string MathBlock = "block_math";
    private const string UpperBlock = "block_upper";
    private const string UntestedBlock = "block_untested";

    public static async Task RunAsync(PayloadCatalog catalog)
    {
        using var host = new StandaloneHost();
        var api = host.Api();
        var workflowId = await api.CreateWorkflowAsync("compatibility", new JsonArray(
            Blocks.Function(MathBlock, Blocks.Math), Blocks.Function(UpperBlock, Blocks.Upper), Blocks.Function(UntestedBlock, Blocks.Upper)));

        var passing = await CreateTestAsync(api, catalog, Blocks.Test(workflowId, MathBlock, Sum(1, 2), "total", Blocks.EqualTo(3), "adds up", "the sum"));
        var failing = await CreateTestAsync(api, catalog, Blocks.Test(workflowId, MathBlock, Sum(1, 2), "total", Blocks.EqualTo(4), "adds up wrong"));
        var blocked = await CreateTestAsync(api, catalog, Blocks.Test(workflowId, MathBlock, new JsonObject { ["explode"] = true }, "total", Blocks.EqualTo(3), "throws"));
        var scored = await CreateTestAsync(api, catalog, Blocks.Test(workflowId, UpperBlock, "acme", "text",
            new JsonObject { ["kind"] = "similarity_gte", ["reference"] = "ACME", ["threshold"] = 0.9, ["method"] = "levenshtein" }, "shouts"));

        catalog.Record("test-never-ran", (await api.GetAsync($"/v1/workflows/tests/{passing}")).Expect(HttpStatusCode.OK));
        catalog.Record("test-patched", (await api.PatchAsync($"/v1/workflows/tests/{scored}", new JsonObject { ["name"] = "shouts the vendor" }))
            .Expect(HttpStatusCode.OK));
        catalog.Record("test-list", (await api.GetAsync($"/v1/workflows/tests?workflow_id={workflowId}")).Expect(HttpStatusCode.OK));
        catalog.Record("test-list", (await api.GetAsync($"/v1/workflows/tests?workflow_id={workflowId}&target_block_id={MathBlock}&limit=2&order=asc"))
            .Expect(HttpStatusCode.OK));

        var whole = await RunToTheEndAsync(api, catalog, workflowId, null, "run-pending", "run-completed");
        var rows = await api.AllResultsAsync(whole);
        await RecordResultAsync(api, catalog, "result-passed", Row(rows, passing));
        await RecordResultAsync(api, catalog, "result-failed", Row(rows, failing));
        await RecordResultAsync(api, catalog, "result-blocked", Row(rows, blocked));
        await RecordResultAsync(api, catalog, "result-passed-with-score", Row(rows, scored));
        catalog.Record("result-by-test", (await api.GetAsync($"/v1/workflows/tests/runs/{whole}/results/{failing}")).Expect(HttpStatusCode.OK));
        catalog.Record("result-list", (await api.GetAsync($"/v1/workflows/tests/results?run_id={whole}")).Expect(HttpStatusCode.OK));
        catalog.Record("result-list-filtered", (await api.GetAsync($"/v1/workflows/tests/results?run_id={whole}&status=completed&verdict=failed"))
            .Expect(HttpStatusCode.OK));
        catalog.Record("result-list-filtered", (await api.GetAsync($"/v1/workflows/tests/results?run_id={whole}&limit=1&order=desc"))
            .Expect(HttpStatusCode.OK));

        await RunToTheEndAsync(api, catalog, workflowId, new JsonObject { ["type"] = "block", ["block_id"] = MathBlock }, "run-scope-block", "run-scope-block");
        await RunToTheEndAsync(api, catalog, workflowId, new JsonObject { ["type"] = "single", ["test_id"] = failing }, "run-scope-single", "run-scope-single");
        catalog.Record("test-with-run-summaries", (await api.GetAsync($"/v1/workflows/tests/{failing}")).Expect(HttpStatusCode.OK));
        catalog.Record("test-with-run-summaries", (await api.GetAsync($"/v1/workflows/tests/{passing}")).Expect(HttpStatusCode.OK));

        await RecordRunListsAsync(api, catalog, workflowId, failing);
        await RecordErrorsAsync(host, api, catalog, workflowId, whole);

        // Last, as it changes the draft: a saved test whose block is no longer in it.
        (await api.SendAsync(HttpMethod.Put, $"/v1/workflows/{workflowId}/draft", new JsonObject
        {
            ["blocks"] = new JsonArray(Blocks.Function(MathBlock, Blocks.Math), Blocks.Function(UntestedBlock, Blocks.Upper)),
        })).Expect(HttpStatusCode.OK);
        catalog.Record("test-block-missing", (await api.GetAsync($"/v1/workflows/tests/{scored}")).Expect(HttpStatusCode.OK));
    }

    private static JsonObject Sum(int a, int b) => new() { ["a"] = a, ["b"] = b };

    private static async Task<string> CreateTestAsync(ApiClient api, PayloadCatalog catalog, JsonObject body)
    {
        var created = (await api.PostAsync("/v1/workflows/tests", body)).Expect(HttpStatusCode.Created);
        catalog.Record("test-created", created);
        return created.Id;
    }

    /// <summary>Starts a run (its 201 answer is <paramref name="startedKind"/>), then reads it once it ended.</summary>
    private static async Task<string> RunToTheEndAsync(ApiClient api, PayloadCatalog catalog, string workflowId, JsonObject? scope, string startedKind, string endedKind)
    {
        var started = await api.StartRunAsync(workflowId, scope);
        catalog.Record(startedKind, started);
        var ended = await api.WaitForTerminalAsync(started.Id);
        catalog.Record(endedKind, ended);
        return started.Id;
    }

    private static JsonNode Row(IEnumerable<JsonNode> rows, string testId) =>
        rows.Single(r => r["test_id"]!.GetValue<string>() == testId);

    private static async Task RecordResultAsync(ApiClient api, PayloadCatalog catalog, string kind, JsonNode row) =>
        catalog.Record(kind, (await api.GetAsync($"/v1/workflows/tests/results/{row["id"]!.GetValue<string>()}")).Expect(HttpStatusCode.OK));

    private static async Task RecordRunListsAsync(ApiClient api, PayloadCatalog catalog, string workflowId, string testId)
    {
        catalog.Record("run-list", (await api.GetAsync($"/v1/workflows/tests/runs?workflow_id={workflowId}")).Expect(HttpStatusCode.OK));
        var today = DateTimeOffset.UtcNow;
        string[] filters =
        [
            $"workflow_id={workflowId}&status=completed&trigger_type=api&limit=1&order=asc",
            $"workflow_id={workflowId}&exclude_status=cancelled&from_date={today.AddDays(-1):yyyy-MM-dd}&to_date={today.AddDays(1):yyyy-MM-dd}",
            $"test_id={testId}",
            $"target_block_id={MathBlock}",
        ];
        foreach (var filter in filters)
            catalog.Record("run-list-filtered", (await api.GetAsync($"/v1/workflows/tests/runs?{filter}")).Expect(HttpStatusCode.OK));
    }

    private static async Task RecordErrorsAsync(StandaloneHost host, ApiClient api, PayloadCatalog catalog, string workflowId, string finishedRunId)
    {
        catalog.Record("error-401", (await host.Api(key: null).GetAsync("/v1/workflows/tests/runs")).Expect(HttpStatusCode.Unauthorized));
        catalog.Record("error-401", (await host.Api(Keys.Unknown).GetAsync($"/v1/workflows/tests/runs/{finishedRunId}")).Expect(HttpStatusCode.Unauthorized));

        const string unknownRun = "wftestrun_0000000000unknown0000000000";
        string[] notFound =
        [
            $"/v1/workflows/tests/runs/{unknownRun}",
            "/v1/workflows/tests/wfnodetest_0000000000unknown000000000",
            "/v1/workflows/tests/results/wfnodetestrun_0000000000unknown00000000",
            $"/v1/workflows/tests/runs/{finishedRunId}/results/wfnodetest_0000000000unknown000000000",
            "/v1/workflows/tests?workflow_id=wf_0000000000unknown000000000000",
        ];
        foreach (var path in notFound)
            catalog.Record("error-404", (await api.GetAsync(path)).Expect(HttpStatusCode.NotFound));
        catalog.Record("error-404", (await StartAsync(api, workflowId, new JsonObject { ["type"] = "block", ["block_id"] = "block_nowhere" })).Expect(HttpStatusCode.NotFound));
        catalog.Record("error-404", (await StartAsync(api, workflowId, new JsonObject { ["type"] = "single", ["test_id"] = "wfnodetest_0000000000unknown000000000" }))
            .Expect(HttpStatusCode.NotFound));

        catalog.Record("error-409", (await api.PostAsync($"/v1/workflows/tests/runs/{finishedRunId}/cancel", null)).Expect(HttpStatusCode.Conflict));
        catalog.Record("error-422-scope", (await StartAsync(api, workflowId, new JsonObject { ["type"] = "block", ["block_id"] = UntestedBlock }))
            .Expect(HttpStatusCode.UnprocessableEntity));

        var withoutAssertion = Blocks.Test(workflowId, MathBlock, Sum(1, 1), "total", Blocks.EqualTo(2));
        withoutAssertion.Remove("assertion");
        catalog.Record("error-422-validation", (await api.PostAsync("/v1/workflows/tests", withoutAssertion)).Expect(HttpStatusCode.UnprocessableEntity));
        catalog.Record("error-422-validation", (await api.PostAsync("/v1/workflows/tests/runs", new JsonObject { ["scope"] = null }))
            .Expect(HttpStatusCode.UnprocessableEntity));
        catalog.Record("error-422-validation", (await api.GetAsync($"/v1/workflows/tests/runs?workflow_id={workflowId}&limit=0")).Expect(HttpStatusCode.UnprocessableEntity));
        var someTest = (await api.GetAsync($"/v1/workflows/tests?workflow_id={workflowId}&limit=1")).Json!["data"]![0]!["id"]!.GetValue<string>();
        catalog.Record("error-422-validation", (await api.PatchAsync($"/v1/workflows/tests/{someTest}", new JsonObject { ["assertion"] = null }))
            .Expect(HttpStatusCode.UnprocessableEntity));
    }

    private static Task<ApiResponse> StartAsync(ApiClient api, string workflowId, JsonObject scope) =>
        api.PostAsync("/v1/workflows/tests/runs", new JsonObject { ["workflow_id"] = workflowId, ["scope"] = scope });
}
