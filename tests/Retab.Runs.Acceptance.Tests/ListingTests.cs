using System.Net;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>Cursor pagination, run filters and Idempotency-Key replay.</summary>
public sealed class ListingTests : IDisposable
{
    private readonly StandaloneHost _host = new();

    [Fact]
    public async Task Pages_follow_cursors_in_both_orders()
    {
        var api = _host.Client();
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await api.CreateWorkflowAsync(("block_echo", Functions.Echo)));
            await Task.Delay(2); // distinct creation milliseconds, so the expected order is unambiguous
        }

        var first = (await api.GetAsync("/v1/workflows?limit=2")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal(created.AsEnumerable().Reverse().Take(2), Ids(first));
        Assert.Null(first["list_metadata"]!["before"]);
        var after = first["list_metadata"]!["after"]!.GetValue<string>();

        var second = (await api.GetAsync($"/v1/workflows?limit=2&after={after}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal(created.AsEnumerable().Reverse().Skip(2).Take(2), Ids(second));
        var third = (await api.GetAsync($"/v1/workflows?limit=2&after={second["list_metadata"]!["after"]}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal([created[0]], Ids(third));
        Assert.Null(third["list_metadata"]!["after"]);

        var back = (await api.GetAsync($"/v1/workflows?limit=2&before={second["list_metadata"]!["before"]}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal(Ids(first), Ids(back));

        var ascending = (await api.GetAsync("/v1/workflows?limit=10&order=asc")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal(created, Ids(ascending));
        (await api.GetAsync($"/v1/workflows?before={created[1]}&after={created[2]}")).ShouldBe(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Runs_filter_by_workflow_status_and_test()
    {
        var api = _host.Client();
        var one = await api.CreateWorkflowAsync(("block_echo", Functions.Echo));
        var two = await api.CreateWorkflowAsync(("block_echo", Functions.Echo));
        var testOne = await api.CreateTestAsync(one, "block_echo", new JsonObject { ["i"] = 1 }, "v", Functions.Condition("equals", 1));
        await api.CreateTestAsync(two, "block_echo", new JsonObject { ["i"] = 1 }, "v", Functions.Condition("equals", 1));
        var runOne = await api.StartRunAsync(one, new JsonObject { ["type"] = "single", ["test_id"] = testOne });
        var runTwo = await api.StartRunAsync(two);
        await api.WaitForTerminalAsync(runOne);
        await api.WaitForTerminalAsync(runTwo);

        Assert.Equal([runOne], Ids((await api.GetAsync($"/v1/workflows/tests/runs?workflow_id={one}")).Json!));
        Assert.Equal([runOne], Ids((await api.GetAsync($"/v1/workflows/tests/runs?test_id={testOne}")).Json!));
        Assert.Equal([runOne], Ids((await api.GetAsync("/v1/workflows/tests/runs?target_block_id=block_echo")).Json!));
        Assert.Equal(2, Ids((await api.GetAsync("/v1/workflows/tests/runs?status=completed&trigger_type=api")).Json!).Count);
        Assert.Empty(Ids((await api.GetAsync("/v1/workflows/tests/runs?exclude_status=completed")).Json!));
        Assert.Empty(Ids((await api.GetAsync("/v1/workflows/tests/runs?from_date=2999-01-01T00:00:00Z")).Json!));
        Assert.Equal(2, Ids((await api.GetAsync("/v1/workflows/tests/runs?to_date=2999-01-01T00:00:00Z")).Json!).Count);
    }

    [Fact]
    public async Task Same_idempotency_key_and_body_replays_the_first_run()
    {
        var api = _host.Client();
        var workflowId = await api.CreateWorkflowAsync(("block_echo", Functions.Echo));
        await api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = 1 }, "v", Functions.Condition("equals", 1));
        var body = new JsonObject { ["workflow_id"] = workflowId };

        var first = (await api.PostAsync("/v1/workflows/tests/runs", body, idempotencyKey: "run-once")).ShouldBe(HttpStatusCode.Created);
        var replay = (await api.PostAsync("/v1/workflows/tests/runs", body, idempotencyKey: "run-once")).ShouldBe(HttpStatusCode.Created);
        Assert.Equal(first.Id, replay.Id);
        Assert.Equal(first.Location, replay.Location);
        var other = await api.PostAsync("/v1/workflows/tests/runs", new JsonObject { ["workflow_id"] = workflowId, ["scope"] = null }, idempotencyKey: "run-once");
        other.ShouldBe(HttpStatusCode.Conflict);
        Assert.Equal("idempotency_key_reused", other.Json!["detail"]!["code"]!.GetValue<string>());

        // The same request with its keys in another order and other whitespace is the same request.
        var reordered = await api.SendAsync(HttpMethod.Post, "/v1/workflows/tests/runs", $"{{ \"workflow_id\" :  \"{workflowId}\" }}\n", idempotencyKey: "run-once");
        Assert.Equal(first.Id, reordered.ShouldBe(HttpStatusCode.Created).Id);

        await api.WaitForTerminalAsync(first.Id);
        Assert.Single(Ids((await api.GetAsync($"/v1/workflows/tests/runs?workflow_id={workflowId}")).Json!));
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_run_once()
    {
        var api = _host.Client();
        var workflowId = await api.CreateWorkflowAsync(("block_echo", Functions.Echo));
        await api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = 1 }, "v", Functions.Condition("equals", 1));

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            api.PostAsync("/v1/workflows/tests/runs", new JsonObject { ["workflow_id"] = workflowId }, idempotencyKey: "double-click")));

        // Each answer is the run (first or replayed) or "in progress, retry"; never a second run.
        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Created
            || (a.Status == HttpStatusCode.Conflict && a.Json!["detail"]!["code"]!.GetValue<string>() == "idempotency_key_in_progress"), a.Text));
        Assert.Single(answers.Where(a => a.Status == HttpStatusCode.Created).Select(a => a.Id).Distinct());
        var runs = Ids((await api.GetAsync($"/v1/workflows/tests/runs?workflow_id={workflowId}")).Json!);
        Assert.Single(runs);
        var retried = (await api.PostAsync("/v1/workflows/tests/runs", new JsonObject { ["workflow_id"] = workflowId }, idempotencyKey: "double-click")).ShouldBe(HttpStatusCode.Created);
        Assert.Equal(runs[0], retried.Id);
    }

    private static List<string> Ids(JsonNode page) => page["data"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();

    public void Dispose() => _host.Dispose();
}
