using System.Net;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>Runs over every scope form finish completed with exact counts and complete result rows.</summary>
public sealed class RunScopeTests : IAsyncLifetime
{
    private readonly StandaloneHost _host = new();
    private ApiClient _api = null!;
    private string _workflowId = "";
    private readonly Dictionary<string, string> _tests = [];

    public async Task InitializeAsync()
    {
        _api = _host.Client();
        _workflowId = await _api.CreateWorkflowAsync(("block_math", Functions.Math), ("block_text", Functions.Upper));
        JsonNode Input(int a, int b) => new JsonObject { ["a"] = a, ["b"] = b };
        _tests["pass_equals"] = await _api.CreateTestAsync(_workflowId, "block_math", Input(1, 2), "total", Functions.Condition("equals", 3));
        _tests["fail_equals"] = await _api.CreateTestAsync(_workflowId, "block_math", Input(1, 2), "total", Functions.Condition("equals", 4));
        _tests["blocked_path"] = await _api.CreateTestAsync(_workflowId, "block_math", Input(1, 2), "missing.field", Functions.Condition("equals", 1));
        _tests["blocked_throw"] = await _api.CreateTestAsync(_workflowId, "block_math", new JsonObject { ["explode"] = true }, "total", Functions.Condition("exists"));
        _tests["pass_compare"] = await _api.CreateTestAsync(_workflowId, "block_math", Input(5, 5), "total",
            new JsonObject { ["kind"] = "number_compare", ["op"] = "gt", ["expected"] = 9.5 });
        _tests["pass_contains"] = await _api.CreateTestAsync(_workflowId, "block_text", "hello", "text", Functions.Condition("contains", "HEL"));
        _tests["fail_regex"] = await _api.CreateTestAsync(_workflowId, "block_text", "hello", "text", Functions.Condition("matches_regex", "^xyz", "pattern"));
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string?, int, int, int> WholeWorkflowScopes => new()
    {
        { null, 3, 2, 2 },
        { """{"type": "workflow"}""", 3, 2, 2 },
        { "null", 3, 2, 2 },
    };

    [Theory]
    [MemberData(nameof(WholeWorkflowScopes))]
    public async Task Whole_workflow_run_executes_every_saved_test(string? scope, int passed, int failed, int blocked)
    {
        var body = new JsonObject { ["workflow_id"] = _workflowId };
        if (scope is not null)
            body["scope"] = JsonNode.Parse(scope);
        var created = (await _api.PostAsync("/v1/workflows/tests/runs", body)).ShouldBe(HttpStatusCode.Created);
        Assert.Equal($"/v1/workflows/tests/runs/{created.Id}", created.Location);
        Assert.Null(created.Json!["test_id"]);
        Assert.Null(created.Json!["target"]);
        Assert.Equal("api", created.Json!["trigger"]!["type"]!.GetValue<string>());

        var run = await _api.WaitForTerminalAsync(created.Id);
        AssertCompleted(run, total: 7, passed, failed, blocked);
        Assert.Null(run["test_id"]);
        Assert.Null(run["target"]);
        await AssertResultRowsAsync(created.Id, _tests.Values);
    }

    [Fact]
    public async Task Block_run_executes_only_the_tests_of_that_block()
    {
        var runId = await _api.StartRunAsync(_workflowId, new JsonObject { ["type"] = "block", ["block_id"] = "block_math" });
        var run = await _api.WaitForTerminalAsync(runId);
        AssertCompleted(run, total: 5, passed: 2, failed: 1, blocked: 2);
        Assert.Null(run["test_id"]);
        Assert.Equal("block_math", run["target"]!["block_id"]!.GetValue<string>());
        await AssertResultRowsAsync(runId, _tests.Where(t => t.Key is not ("pass_contains" or "fail_regex")).Select(t => t.Value));
    }

    [Fact]
    public async Task Single_run_executes_one_test_and_names_it()
    {
        var runId = await _api.StartRunAsync(_workflowId, new JsonObject { ["type"] = "single", ["test_id"] = _tests["fail_equals"] });
        var run = await _api.WaitForTerminalAsync(runId);
        AssertCompleted(run, total: 1, passed: 0, failed: 1, blocked: 0);
        Assert.Equal(_tests["fail_equals"], run["test_id"]!.GetValue<string>());
        Assert.Equal("block_math", run["target"]!["block_id"]!.GetValue<string>());

        var row = (await _api.GetAsync($"/v1/workflows/tests/runs/{runId}/results/{_tests["fail_equals"]}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal("failed", row["verdict"]!.GetValue<string>());
        var assertion = row["assertion_result"]!;
        Assert.Equal("failed", assertion["outcome"]!.GetValue<string>());
        Assert.Equal(3, assertion["actual_value"]!.GetValue<int>());
        Assert.Equal(4, assertion["expected_value"]!.GetValue<int>());
        Assert.Equal([assertion["assertion_id"]!.GetValue<string>()], row["verdict_summary"]!["failed_assertion_ids"]!.AsArray().Select(n => n!.GetValue<string>()));

        var byId = (await _api.GetAsync($"/v1/workflows/tests/results/{row["id"]}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal(row.ToJsonString(), byId.ToJsonString());
    }

    [Fact]
    public async Task Result_rows_carry_verdict_outputs_fingerprints_and_timing()
    {
        var runId = await _api.StartRunAsync(_workflowId);
        await _api.WaitForTerminalAsync(runId);
        var rows = (await _api.AllResultsAsync(runId)).ToDictionary(r => r["test_id"]!.GetValue<string>());

        var pass = rows[_tests["pass_equals"]];
        Assert.Equal("passed", pass["verdict"]!.GetValue<string>());
        Assert.Equal("completed", pass["lifecycle"]!["status"]!.GetValue<string>());
        Assert.Equal(runId, pass["workflow_test_run_id"]!.GetValue<string>());
        Assert.Equal(runId, pass["run_id"]!.GetValue<string>());
        Assert.Equal("function", pass["block_type"]!.GetValue<string>());
        Assert.Equal("""{"output-json-0":{"type":"json","data":{"total":3,"vendor":{"name":"ACME"}}}}""", pass["handle_outputs"]!.ToJsonString());
        Assert.Equal("""{"input-json-0":{"type":"json","data":{"a":1,"b":2}}}""", pass["handle_inputs"]!.ToJsonString());
        foreach (var fingerprint in new[] { "execution_fingerprint", "handle_inputs_fingerprint", "workflow_draft_fingerprint", "block_config_fingerprint" })
            Assert.StartsWith("sha256:", pass[fingerprint]!.GetValue<string>());
        var timing = pass["timing"]!;
        Assert.True(timing["started_at"]!.GetValue<DateTimeOffset>() <= timing["completed_at"]!.GetValue<DateTimeOffset>());
        Assert.True(timing["duration_ms"]!.GetValue<long>() >= 0);
        Assert.True(pass["verdict_summary"]!["passed"]!.GetValue<bool>());

        var path = rows[_tests["blocked_path"]];
        Assert.Equal("blocked", path["verdict"]!.GetValue<string>());
        Assert.Equal("path_not_found", path["assertion_result"]!["failure"]!["code"]!.GetValue<string>());
        Assert.Equal(1, path["verdict_summary"]!["blocked_assertions"]!.GetValue<int>());

        var thrown = rows[_tests["blocked_throw"]];
        Assert.Equal("completed", thrown["lifecycle"]!["status"]!.GetValue<string>());
        Assert.Equal("blocked", thrown["verdict"]!.GetValue<string>());
        Assert.Equal("block_execution_failed", thrown["assertion_result"]!["failure"]!["code"]!.GetValue<string>());
        Assert.Contains("kaboom", thrown["assertion_result"]!["failure"]!["message"]!.GetValue<string>());

        Assert.Equal("failed", rows[_tests["fail_regex"]]["verdict"]!.GetValue<string>());
        Assert.Equal("passed", rows[_tests["pass_contains"]]["verdict"]!.GetValue<string>());
        Assert.Equal("passed", rows[_tests["pass_compare"]]["verdict"]!.GetValue<string>());

        var filtered = (await _api.GetAsync($"/v1/workflows/tests/results?run_id={runId}&verdict=blocked")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal(2, filtered["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task Test_read_model_shows_latest_summaries_and_freshness()
    {
        var testId = _tests["pass_equals"];
        var before = (await _api.GetAsync($"/v1/workflows/tests/{testId}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal("unknown", before["freshness"]!["status"]!.GetValue<string>());
        Assert.Equal("""["no_baseline"]""", before["freshness"]!["reasons"]!.ToJsonString());

        var runId = await _api.StartRunAsync(_workflowId, new JsonObject { ["type"] = "single", ["test_id"] = testId });
        await _api.WaitForTerminalAsync(runId);
        var after = (await _api.GetAsync($"/v1/workflows/tests/{testId}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal("fresh", after["freshness"]!["status"]!.GetValue<string>());
        Assert.Equal(runId, after["latest_run_summary"]!["run_id"]!.GetValue<string>());
        Assert.Equal(runId, after["latest_passing_run_summary"]!["run_id"]!.GetValue<string>());
        Assert.Null(after["latest_failing_run_summary"]);
        // Retab's LatestBlockTestRunSummary: the run record is the result; status is its lifecycle, outcome its verdict.
        var summary = after["latest_run_summary"]!;
        var result = (await _api.GetAsync($"/v1/workflows/tests/runs/{runId}/results/{testId}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal(result["id"]!.GetValue<string>(), summary["run_record_id"]!.GetValue<string>());
        Assert.Equal("completed", summary["status"]!.GetValue<string>());
        Assert.Equal("passed", summary["outcome"]!.GetValue<string>());
        Assert.Equal(result["timing"]!["started_at"]!.GetValue<DateTimeOffset>(), summary["started_at"]!.GetValue<DateTimeOffset>());
        Assert.Equal(result["handle_inputs_fingerprint"]!.GetValue<string>(), summary["handle_inputs_fingerprint"]!.GetValue<string>());
        Assert.Equal(1, summary["assertions_passed"]!.GetValue<int>());
        Assert.Equal(0, summary["blocked_assertions"]!.GetValue<int>());

        (await _api.PatchAsync($"/v1/workflows/{_workflowId}/blocks/block_math",
            new JsonObject { ["config"] = new JsonObject { ["code"] = Functions.Math + "\n// changed" } })).ShouldBe(HttpStatusCode.OK);
        var stale = (await _api.GetAsync($"/v1/workflows/tests/{testId}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal("stale", stale["freshness"]!["status"]!.GetValue<string>());
        Assert.Contains("validity_changed", stale["freshness"]!["reasons"]!.AsArray().Select(r => r!.GetValue<string>()));
        var staleRun = (await _api.GetAsync($"/v1/workflows/tests/runs/{runId}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal("stale", staleRun["freshness"]!["status"]!.GetValue<string>());
    }

    private static void AssertCompleted(JsonNode run, int total, int passed, int failed, int blocked)
    {
        Assert.Equal("completed", RunInvariants.Status(run));
        Assert.Equal(total, run["total_tests"]!.GetValue<int>());
        var counts = run["counts"]!;
        Assert.Equal(passed, counts["passed"]!.GetValue<int>());
        Assert.Equal(failed, counts["failed"]!.GetValue<int>());
        Assert.Equal(blocked, counts["blocked"]!.GetValue<int>());
        Assert.Equal(total, counts["lifecycle_counts"]!["completed"]!.GetValue<int>());
        Assert.NotNull(run["timing"]!["completed_at"]);
    }

    private async Task AssertResultRowsAsync(string runId, IEnumerable<string> expectedTestIds)
    {
        var rows = await _api.AllResultsAsync(runId);
        Assert.Equal(expectedTestIds.Order(), rows.Select(r => r["test_id"]!.GetValue<string>()).Order());
        Assert.All(rows, r => Assert.Equal("completed", r["lifecycle"]!["status"]!.GetValue<string>()));
    }
}
