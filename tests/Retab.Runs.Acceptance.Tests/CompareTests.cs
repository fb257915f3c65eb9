using System.Net;
using Xunit.Abstractions;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// Three runs of one workflow with a block's code changed and tests added and deleted between them: the comparison of
/// each run with its previous one (and with a named run), its summary, filter and pages, and the regressions and fixes
/// every completed run records.
/// </summary>
public sealed class CompareTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Sum = "function main(input) { return { total: input.a + input.b }; }";
    private const string Product = "function main(input) { return { total: input.a * input.b }; }";

    private readonly StandaloneHost _host = new();
    private ApiClient _api = null!;
    private string _workflowId = "";
    private readonly Dictionary<string, string> _tests = [];

    public async Task InitializeAsync()
    {
        _api = _host.Client();
        _workflowId = await _api.CreateWorkflowAsync(("block_math", Sum));
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private async Task AddTestAsync(string name, int a, int b, int expected) =>
        _tests[name] = await _api.CreateTestAsync(_workflowId, "block_math", new JsonObject { ["a"] = a, ["b"] = b }, "total",
            Functions.Condition("equals", expected), name);

    private async Task SetCodeAsync(string code) =>
        (await _api.PatchAsync($"/v1/workflows/{_workflowId}/blocks/block_math",
            new JsonObject { ["config"] = new JsonObject { ["code"] = code } })).ShouldBe(HttpStatusCode.OK);

    private async Task<JsonNode> RunAsync() => await _api.WaitForTerminalAsync(await _api.StartRunAsync(_workflowId));

    [Fact]
    public async Task Compare_classifies_every_test_of_two_runs_and_completed_runs_record_regressions_and_fixes()
    {
        // Run 1, sum: regresses (1+2=3), stays (2+2=4), gets_fixed (1+3≠3), keeps_failing (1+1≠5), goes_away (2+3=5).
        await AddTestAsync("regresses", 1, 2, 3);
        await AddTestAsync("stays", 2, 2, 4);
        await AddTestAsync("gets_fixed", 1, 3, 3);
        await AddTestAsync("keeps_failing", 1, 1, 5);
        await AddTestAsync("goes_away", 2, 3, 5);
        var run1 = await RunAsync();
        var run1Id = run1["id"]!.GetValue<string>();
        Assert.Null(run1["regressions"]);
        Assert.Null(run1["fixes"]);
        Assert.Null(run1["baseline_run_id"]);

        // Run 2, product; one test deleted, one added (3*3=9).
        await SetCodeAsync(Product);
        (await _api.DeleteAsync($"/v1/workflows/tests/{_tests["goes_away"]}")).ShouldBe(HttpStatusCode.NoContent);
        await AddTestAsync("arrives", 3, 3, 9);
        var run2 = await RunAsync();
        var run2Id = run2["id"]!.GetValue<string>();
        Assert.Equal(run1Id, run2["baseline_run_id"]!.GetValue<string>());
        Assert.Equal(1, run2["regressions"]!.GetValue<int>());
        Assert.Equal(1, run2["fixes"]!.GetValue<int>());

        var compare = (await _api.GetAsync($"/v1/workflows/tests/runs/{run2Id}/compare?limit=100")).ShouldBe(HttpStatusCode.OK).Json!;
        output.WriteLine(compare.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        Assert.Equal("workflow_test_run_comparison", compare["object"]!.GetValue<string>());
        Assert.Equal(run1Id, compare["baseline_run_id"]!.GetValue<string>());
        AssertSummary(compare, @fixed: 1, regressed: 1, stillFailing: 1, stillPassing: 1, added: 1, removed: 1);
        var changes = ChangesByName(compare);
        Assert.Equal("regressed", changes["regresses"]);
        Assert.Equal("still_passing", changes["stays"]);
        Assert.Equal("fixed", changes["gets_fixed"]);
        Assert.Equal("still_failing", changes["keeps_failing"]);
        Assert.Equal("added", changes["arrives"]);
        var removed = compare["data"]!.AsArray().Single(r => r!["change"]!.GetValue<string>() == "removed")!;
        Assert.Equal(_tests["goes_away"], removed["test_id"]!.GetValue<string>());
        Assert.Null(removed["name"]); // deleted
        Assert.Null(removed["after"]);
        Assert.Equal("passed", removed["before"]!["verdict"]!.GetValue<string>());
        var regressedRow = compare["data"]!.AsArray().Single(r => r!["test_id"]!.GetValue<string>() == _tests["regresses"])!;
        Assert.Equal("block_math", regressedRow["block_id"]!.GetValue<string>());
        Assert.Equal("failed", regressedRow["after"]!["verdict"]!.GetValue<string>());
        Assert.Equal("completed", regressedRow["after"]!["status"]!.GetValue<string>());
        Assert.StartsWith("wfnodetestrun_", regressedRow["before"]!["result_id"]!.GetValue<string>());
        var arrived = compare["data"]!.AsArray().Single(r => r!["test_id"]!.GetValue<string>() == _tests["arrives"])!;
        Assert.Null(arrived["before"]);

        // Run 3, sum again: regresses is fixed, gets_fixed and arrives (3+3≠9) regress.
        await SetCodeAsync(Sum);
        var run3 = await RunAsync();
        var run3Id = run3["id"]!.GetValue<string>();
        Assert.Equal(run2Id, run3["baseline_run_id"]!.GetValue<string>());
        Assert.Equal(2, run3["regressions"]!.GetValue<int>());
        Assert.Equal(1, run3["fixes"]!.GetValue<int>());

        var regressed = (await _api.GetAsync($"/v1/workflows/tests/runs/{run3Id}/compare?change=regressed")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal(new[] { _tests["gets_fixed"], _tests["arrives"] }.Order(), regressed["data"]!.AsArray().Select(r => r!["test_id"]!.GetValue<string>()).Order());
        AssertSummary(regressed, @fixed: 1, regressed: 2, stillFailing: 1, stillPassing: 1, added: 0, removed: 0);

        // Against a named run: run 1.
        var againstFirst = (await _api.GetAsync($"/v1/workflows/tests/runs/{run3Id}/compare?baseline={run1Id}&limit=100")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal(run1Id, againstFirst["baseline_run_id"]!.GetValue<string>());
        AssertSummary(againstFirst, @fixed: 0, regressed: 0, stillFailing: 2, stillPassing: 2, added: 1, removed: 1);

        // The first run has no previous run: every test is added.
        var first = (await _api.GetAsync($"/v1/workflows/tests/runs/{run1Id}/compare")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Null(first["baseline_run_id"]);
        AssertSummary(first, @fixed: 0, regressed: 0, stillFailing: 0, stillPassing: 0, added: 5, removed: 0);
    }

    [Fact]
    public async Task Compare_pages_by_test_id_both_ways_and_refuses_unknown_runs_and_bad_filters()
    {
        for (var i = 0; i < 5; i++)
            await AddTestAsync($"t{i}", i, 1, i + 1);
        await RunAsync();
        await SetCodeAsync(Product);
        var runId = (await RunAsync())["id"]!.GetValue<string>();

        var forward = new List<string>();
        string? after = null;
        do
        {
            var page = (await _api.GetAsync($"/v1/workflows/tests/runs/{runId}/compare?limit=2&order=asc" + (after is null ? "" : $"&after={after}")))
                .ShouldBe(HttpStatusCode.OK).Json!;
            Assert.True(page["data"]!.AsArray().Count <= 2);
            forward.AddRange(page["data"]!.AsArray().Select(r => r!["test_id"]!.GetValue<string>()));
            after = page["list_metadata"]!["after"]?.GetValue<string>();
        } while (after is not null);
        Assert.Equal(_tests.Values.Order(StringComparer.Ordinal), forward);

        var newestFirst = (await _api.GetAsync($"/v1/workflows/tests/runs/{runId}/compare?limit=2")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal(forward.AsEnumerable().Reverse().Take(2), newestFirst["data"]!.AsArray().Select(r => r!["test_id"]!.GetValue<string>()));
        var before = (await _api.GetAsync($"/v1/workflows/tests/runs/{runId}/compare?limit=2&order=asc&before={forward[4]}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal(forward.Skip(2).Take(2), before["data"]!.AsArray().Select(r => r!["test_id"]!.GetValue<string>()));

        (await _api.GetAsync("/v1/workflows/tests/runs/wftestrun_missing/compare")).ShouldFailWith(HttpStatusCode.NotFound, "run_not_found", "wftestrun_missing");
        (await _api.GetAsync($"/v1/workflows/tests/runs/{runId}/compare?baseline=wftestrun_missing"))
            .ShouldFailWith(HttpStatusCode.NotFound, "baseline_not_found", "wftestrun_missing");
        (await _api.GetAsync($"/v1/workflows/tests/runs/{runId}/compare?change=better")).ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await _host.Client(StandaloneHost.KeyB).GetAsync($"/v1/workflows/tests/runs/{runId}/compare")).ShouldBe(HttpStatusCode.NotFound);
    }

    private Dictionary<string, string> ChangesByName(JsonNode compare) =>
        compare["data"]!.AsArray().Where(r => r!["name"] is not null)
            .ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!["change"]!.GetValue<string>());

    private static void AssertSummary(JsonNode compare, int @fixed, int regressed, int stillFailing, int stillPassing, int added, int removed)
    {
        var summary = compare["summary"]!;
        Assert.Equal(
            (@fixed, regressed, stillFailing, stillPassing, added, removed),
            (summary["fixed"]!.GetValue<int>(), summary["regressed"]!.GetValue<int>(), summary["still_failing"]!.GetValue<int>(),
             summary["still_passing"]!.GetValue<int>(), summary["added"]!.GetValue<int>(), summary["removed"]!.GetValue<int>()));
    }
}
