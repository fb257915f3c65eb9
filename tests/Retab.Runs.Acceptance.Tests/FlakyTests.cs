using System.Net;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// Flaky tests (issue 15): a test whose verdict changed across its latest completed results under its current block
/// config and inputs. The assertion is not part of what results must share, so editing the expected value between runs
/// flips a verdict without starting a new window; editing the block's config does start one.
/// </summary>
public sealed class FlakyTests : IDisposable
{
    private const string ReturnsOne = "function main(input) { return { v: 1 }; }";
    private const string ReturnsTwo = "function main(input) { return { v: 2 }; }";

    private readonly List<StandaloneHost> _hosts = [];

    public void Dispose()
    {
        foreach (var host in _hosts)
            host.Dispose();
    }

    private ApiClient Api(IDictionary<string, string?>? settings = null, string key = StandaloneHost.KeyA)
    {
        var host = new StandaloneHost(settings: settings);
        _hosts.Add(host);
        return host.Client(key);
    }

    [Fact]
    public async Task A_verdict_that_flips_under_one_config_is_flaky_until_the_config_changes_and_again_when_it_changes_back()
    {
        var api = Api();
        var workflowId = await api.CreateWorkflowAsync(("block_flip", ReturnsOne), ("block_idle", ReturnsOne));
        var flaky = await api.CreateTestAsync(workflowId, "block_flip", 0, "v", Functions.Condition("equals", 1), "flips");
        var stable = await api.CreateTestAsync(workflowId, "block_flip", 1, "v", Functions.Condition("exists"), "stable");
        var neverRun = await api.CreateTestAsync(workflowId, "block_idle", 0, "v", Functions.Condition("exists"), "never run");
        Assert.Equal((false, 0, 0), await FlakyOfAsync(api, flaky));

        await RunBlockAsync(api, workflowId, "block_flip"); // flips: passed, stable: passed
        Assert.Equal((false, 0, 1), await FlakyOfAsync(api, flaky));
        await SetExpectedAsync(api, flaky, 2);
        await RunBlockAsync(api, workflowId, "block_flip"); // flips: failed, stable: passed

        Assert.Equal((true, 1, 2), await FlakyOfAsync(api, flaky));
        Assert.Equal((false, 0, 2), await FlakyOfAsync(api, stable));
        Assert.Equal((false, 0, 0), await FlakyOfAsync(api, neverRun));
        Assert.Equal([flaky], await ListIdsAsync(api, workflowId, "flaky=true"));
        Assert.Equal(new[] { neverRun, stable }.Order(), (await ListIdsAsync(api, workflowId, "flaky=false")).Order());
        Assert.Empty(await ListIdsAsync(api, workflowId, "flaky=true&target_block_id=block_idle"));

        // A changed config starts a new window: nothing computed from the old one says whether the test flips now.
        await SetCodeAsync(api, workflowId, "block_flip", ReturnsTwo);
        Assert.Equal((false, 0, 0), await FlakyOfAsync(api, flaky));
        Assert.Empty(await ListIdsAsync(api, workflowId, "flaky=true"));
        await RunBlockAsync(api, workflowId, "block_flip"); // flips: passed (2 == 2)
        Assert.Equal((false, 0, 1), await FlakyOfAsync(api, flaky));

        // Back on the first config, its results are comparable again; the one under the other config is not among them.
        await SetCodeAsync(api, workflowId, "block_flip", ReturnsOne);
        Assert.Equal((true, 1, 2), await FlakyOfAsync(api, flaky));
        Assert.Equal([flaky], await ListIdsAsync(api, workflowId, "flaky=true"));
    }

    [Fact]
    public async Task The_flaky_filter_pages_by_matching_tests_with_the_usual_cursors()
    {
        var api = Api();
        var workflowId = await api.CreateWorkflowAsync(("block_flip", ReturnsOne));
        for (var i = 0; i < 5; i++)
            await api.CreateTestAsync(workflowId, "block_flip", i, "v", Functions.Condition("equals", 1), $"test {i}");
        // In list order (ids made in the same millisecond need not sort as they were created).
        var tests = await ListIdsAsync(api, workflowId, "order=asc");
        await RunBlockAsync(api, workflowId, "block_flip");
        // Tests 1 and 3 flip; the others stay passed, so matches and non-matches interleave.
        foreach (var index in new[] { 1, 3 })
            await SetExpectedAsync(api, tests[index], 2);
        await RunBlockAsync(api, workflowId, "block_flip");

        var first = (await api.GetAsync($"/v1/workflows/tests?workflow_id={workflowId}&flaky=false&order=asc&limit=2")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([tests[0], tests[2]], Ids(first));
        var after = first.Json!["list_metadata"]!["after"]!.GetValue<string>();
        Assert.Equal(tests[2], after);
        var second = (await api.GetAsync($"/v1/workflows/tests?workflow_id={workflowId}&flaky=false&order=asc&limit=2&after={after}")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([tests[4]], Ids(second));
        Assert.Null(second.Json!["list_metadata"]!["after"]);
        Assert.Equal(tests[4], second.Json!["list_metadata"]!["before"]!.GetValue<string>());

        var back = (await api.GetAsync($"/v1/workflows/tests?workflow_id={workflowId}&flaky=false&order=asc&limit=1&before={tests[4]}")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([tests[2]], Ids(back));
        Assert.Equal(tests[2], back.Json!["list_metadata"]!["before"]!.GetValue<string>());

        var flaky = (await api.GetAsync($"/v1/workflows/tests?workflow_id={workflowId}&flaky=true&limit=1")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([tests[3]], Ids(flaky));
        var rest = (await api.GetAsync($"/v1/workflows/tests?workflow_id={workflowId}&flaky=true&limit=1&after={flaky.Json!["list_metadata"]!["after"]}")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([tests[1]], Ids(rest));
        Assert.Null(rest.Json!["list_metadata"]!["after"]);
    }

    [Fact]
    public async Task The_window_setting_bounds_how_many_results_are_compared()
    {
        var api = Api(new Dictionary<string, string?> { ["Flaky:Window"] = "2" });
        var workflowId = await api.CreateWorkflowAsync(("block_flip", ReturnsOne));
        var test = await api.CreateTestAsync(workflowId, "block_flip", 0, "v", Functions.Condition("equals", 1));

        await RunBlockAsync(api, workflowId, "block_flip"); // passed
        await SetExpectedAsync(api, test, 2);
        await RunBlockAsync(api, workflowId, "block_flip"); // failed
        Assert.Equal((true, 1, 2), await FlakyOfAsync(api, test));
        await RunBlockAsync(api, workflowId, "block_flip"); // failed: the flip falls out of a window of two

        Assert.Equal((false, 0, 2), await FlakyOfAsync(api, test));
    }

    [Fact]
    public async Task Another_organization_sees_no_test_and_no_flakiness()
    {
        var api = Api();
        var workflowId = await api.CreateWorkflowAsync(("block_flip", ReturnsOne));
        var test = await api.CreateTestAsync(workflowId, "block_flip", 0, "v", Functions.Condition("equals", 1));
        await RunBlockAsync(api, workflowId, "block_flip");
        await SetExpectedAsync(api, test, 2);
        await RunBlockAsync(api, workflowId, "block_flip");
        Assert.Equal((true, 1, 2), await FlakyOfAsync(api, test));

        var other = new ApiClient(_hosts[0].CreateClient());
        other.Http.DefaultRequestHeaders.Add("Api-Key", StandaloneHost.KeyB);
        (await other.GetAsync($"/v1/workflows/tests?workflow_id={workflowId}&flaky=true")).ShouldFailWith(HttpStatusCode.NotFound, "workflow_not_found", workflowId);
        (await other.GetAsync($"/v1/workflows/tests/{test}")).ShouldFailWith(HttpStatusCode.NotFound, "test_not_found", test);
        var ownWorkflow = await other.CreateWorkflowAsync(("block_flip", ReturnsOne));
        Assert.Empty(await ListIdsAsync(other, ownWorkflow, "flaky=true"));
    }

    [Fact]
    public async Task A_flaky_filter_that_is_not_a_boolean_is_a_422_naming_it()
    {
        var api = Api();
        var workflowId = await api.CreateWorkflowAsync(("block_flip", ReturnsOne));

        var response = await api.GetAsync($"/v1/workflows/tests?workflow_id={workflowId}&flaky=sometimes");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        var error = Assert.Single(response.Json!["detail"]!.AsArray());
        Assert.Equal(["query", "flaky"], error!["loc"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    private static async Task RunBlockAsync(ApiClient api, string workflowId, string blockId)
    {
        var runId = await api.StartRunAsync(workflowId, new JsonObject { ["type"] = "block", ["block_id"] = blockId });
        var run = await api.WaitForTerminalAsync(runId);
        Assert.Equal("completed", run["lifecycle"]!["status"]!.GetValue<string>());
    }

    private static async Task SetExpectedAsync(ApiClient api, string testId, int expected) =>
        (await api.PatchAsync($"/v1/workflows/tests/{testId}", new JsonObject
        {
            ["assertion"] = new JsonObject
            {
                ["target"] = new JsonObject { ["output_handle_id"] = "output-json-0", ["path"] = "v" },
                ["condition"] = Functions.Condition("equals", expected),
            },
        })).ShouldBe(HttpStatusCode.OK);

    private static async Task SetCodeAsync(ApiClient api, string workflowId, string blockId, string code) =>
        (await api.PatchAsync($"/v1/workflows/{workflowId}/blocks/{blockId}", new JsonObject { ["config"] = new JsonObject { ["code"] = code } }))
            .ShouldBe(HttpStatusCode.OK);

    private static async Task<(bool IsFlaky, int Flips, int Window)> FlakyOfAsync(ApiClient api, string testId)
    {
        var test = (await api.GetAsync($"/v1/workflows/tests/{testId}")).ShouldBe(HttpStatusCode.OK);
        var flaky = test.Json!["flaky"]!;
        return (flaky["is_flaky"]!.GetValue<bool>(), flaky["flips"]!.GetValue<int>(), flaky["window"]!.GetValue<int>());
    }

    private static async Task<List<string>> ListIdsAsync(ApiClient api, string workflowId, string query)
    {
        var page = (await api.GetAsync($"/v1/workflows/tests?workflow_id={workflowId}&limit=100&{query}")).ShouldBe(HttpStatusCode.OK);
        Assert.Null(page.Json!["list_metadata"]!["after"]);
        return Ids(page);
    }

    private static List<string> Ids(ApiClient.Response page) => page.Json!["data"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()).ToList();
}
