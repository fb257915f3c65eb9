using System.Net;
using System.Net.Http.Headers;
using Retab.Runs.Testing;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>The live stream of a run (<c>GET /v1/workflows/tests/runs/{run_id}/events</c>) against the real host.</summary>
public sealed class RunEventsTests : IDisposable
{
    private readonly StandaloneHost _host = new();

    [Fact]
    public async Task A_run_streams_growing_counts_every_result_and_one_final_event_that_equals_the_run()
    {
        var api = _host.Client();
        var (workflowId, total) = await SlowWorkflowAsync(api, tests: 12, failing: 3);
        var runId = await api.StartRunAsync(workflowId);

        var events = await RunEvents.ReadAsync(api.Http, runId);

        var progress = events.Where(e => e.Type == "progress").Select(e => e.Data).ToList();
        Assert.True(progress.Count >= 2, $"only {progress.Count} progress events");
        Assert.All(progress, p => Assert.Equal(runId, p["run_id"]!.GetValue<string>()));
        var ended = progress.Select(p => RunEvents.Ended(p["counts"]!)).ToList();
        Assert.Equal(ended.Order(), ended);
        Assert.True(progress.Zip(progress.Skip(1)).All(pair => pair.First.ToJsonString() != pair.Second.ToJsonString()),
            "a progress event repeats the one before it");

        var final = Assert.Single(events, RunEvents.IsFinal);
        Assert.Same(final, events[^1]);
        Assert.Equal("completed", final.Type);
        RunInvariants.Check(final.Data);
        var run = (await api.GetAsync($"/v1/workflows/tests/runs/{runId}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal(run.ToJsonString(), final.Data.ToJsonString());
        Assert.Equal(run["counts"]!.ToJsonString(), progress[^1]["counts"]!.ToJsonString());

        var results = events.Where(e => e.Type == "result").Select(e => e.Data).ToList();
        Assert.Equal(total, results.Count);
        Assert.True(events.FindIndex(e => e.Type == "result") > 0);
        var rows = (await api.AllResultsAsync(runId)).ToDictionary(r => r["id"]!.GetValue<string>(), r => r.ToJsonString());
        Assert.Equal(rows.Keys.Order(), results.Select(r => r["id"]!.GetValue<string>()).Order());
        Assert.All(results, r => Assert.Equal(rows[r["id"]!.GetValue<string>()], r.ToJsonString()));
        Assert.Equal(3, results.Count(r => r["verdict"]?.GetValue<string>() == "failed"));
    }

    [Fact]
    public async Task Without_results_only_progress_and_the_final_event_come()
    {
        var api = _host.Client();
        var (workflowId, _) = await SlowWorkflowAsync(api, tests: 4, failing: 0);
        var runId = await api.StartRunAsync(workflowId);

        var events = await RunEvents.ReadAsync(api.Http, runId, results: false);

        Assert.DoesNotContain(events, e => e.Type == "result");
        Assert.Equal("completed", Assert.Single(events, RunEvents.IsFinal).Type);
        Assert.All(events, e => Assert.Contains(e.Type, new[] { "progress", "completed", "heartbeat" }));
    }

    [Fact]
    public async Task A_client_that_reconnects_with_Last_Event_ID_gets_the_rest_and_nothing_it_had_before_the_cursor()
    {
        var api = _host.Client();
        var (workflowId, total) = await SlowWorkflowAsync(api, tests: 16, failing: 2);
        var runId = await api.StartRunAsync(workflowId);

        var first = await RunEvents.ReadAsync(api.Http, runId, stopAfter: seen => seen.Count(e => e.Type == "result") >= 4);
        Assert.DoesNotContain(first, RunEvents.IsFinal);
        var lastId = first[^1].Id!;
        Assert.StartsWith("wfnodetestrun_", lastId);

        var rest = await RunEvents.ReadAsync(api.Http, runId, lastEventId: lastId);

        Assert.Equal("progress", rest[0].Type);
        Assert.Single(rest, RunEvents.IsFinal);
        var before = first.Where(e => e.Type == "result").Select(e => e.Data["id"]!.GetValue<string>()).ToList();
        var after = rest.Where(e => e.Type == "result").Select(e => e.Data["id"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain(after, id => string.CompareOrdinal(id, lastId) <= 0);
        Assert.Equal(after.Count, after.Distinct().Count());
        Assert.Equal(total, before.Union(after).Count());
    }

    [Fact]
    public async Task An_ended_run_streams_its_state_its_results_and_the_final_event_at_once()
    {
        var api = _host.Client();
        var (workflowId, total) = await SlowWorkflowAsync(api, tests: 3, failing: 1);
        var runId = await api.StartRunAsync(workflowId);
        await api.WaitForTerminalAsync(runId);

        var events = await RunEvents.ReadAsync(api.Http, runId);

        Assert.Equal(["progress", .. Enumerable.Repeat("result", total), "completed"], events.Select(e => e.Type));
        // Everything was sent: the last cursor names the last result, and resuming from it gives no result again.
        var again = await RunEvents.ReadAsync(api.Http, runId, lastEventId: events[^1].Id);
        Assert.Equal(["progress", "completed"], again.Select(e => e.Type));
    }

    [Fact]
    public async Task A_cancelled_run_ends_its_stream_with_a_cancelled_event()
    {
        var api = _host.Client();
        var (workflowId, total) = await SlowWorkflowAsync(api, tests: 30, failing: 0);
        var runId = await api.StartRunAsync(workflowId);

        var reading = RunEvents.ReadAsync(api.Http, runId);
        await Task.Delay(400);
        (await api.PostAsync($"/v1/workflows/tests/runs/{runId}/cancel", null)).ShouldBe(HttpStatusCode.OK);
        var events = await reading;

        var final = Assert.Single(events, RunEvents.IsFinal);
        Assert.Equal("cancelled", final.Type);
        Assert.Equal(total, events.Count(e => e.Type == "result"));
        Assert.Equal(final.Data["counts"]!["cancelled"]!.GetValue<int>(),
            events.Count(e => e.Type == "result" && e.Data["lifecycle"]!["status"]!.GetValue<string>() == "cancelled"));
    }

    [Fact]
    public async Task Another_organizations_run_is_not_found_and_a_foreign_cursor_is_rejected()
    {
        var api = _host.Client();
        var (workflowId, _) = await SlowWorkflowAsync(api, tests: 1, failing: 0);
        var runId = await api.StartRunAsync(workflowId);

        var other = _host.Client(StandaloneHost.KeyB);
        (await other.GetAsync($"/v1/workflows/tests/runs/{runId}/events")).ShouldFailWith(HttpStatusCode.NotFound, "run_not_found", runId);
        (await api.GetAsync("/v1/workflows/tests/runs/wftestrun_doesnotexist000000000000000/events")).ShouldBe(HttpStatusCode.NotFound);
        var anonymous = _host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/v1/workflows/tests/runs/{runId}/events")).StatusCode);

        foreach (var cursor in new[] { "wfnodetestrun_someoneelses", "<script>", "12" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/workflows/tests/runs/{runId}/events");
            request.Headers.Add("Last-Event-ID", cursor);
            using var response = await api.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var detail = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]![0]!;
            Assert.Equal("Last-Event-ID", detail["loc"]![1]!.GetValue<string>());
        }
        (await api.GetAsync($"/v1/workflows/tests/runs/{runId}/events?results=maybe")).ShouldBe(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Asking_for_the_run_with_Accept_text_event_stream_answers_the_stream()
    {
        var api = _host.Client();
        var (workflowId, _) = await SlowWorkflowAsync(api, tests: 2, failing: 0);
        var runId = await api.StartRunAsync(workflowId);

        var events = await RunEvents.ReadAsync(api.Http, runId, path: $"/v1/workflows/tests/runs/{runId}");

        Assert.Equal("progress", events[0].Type);
        Assert.Equal("completed", events[^1].Type);
        using var json = new HttpRequestMessage(HttpMethod.Get, $"/v1/workflows/tests/runs/{runId}");
        json.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var plain = await api.Http.SendAsync(json);
        Assert.Equal("application/json", plain.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A workflow of tests that take ~100 ms each, so a run of a dozen moves for a while; the last ones fail.</summary>
    private static async Task<(string WorkflowId, int Tests)> SlowWorkflowAsync(ApiClient api, int tests, int failing)
    {
        var workflowId = await api.CreateWorkflowAsync(("block_slow", Functions.Slow));
        for (var i = 0; i < tests; i++)
            await api.CreateTestAsync(workflowId, "block_slow", i, "done", Functions.Condition("equals", i < tests - failing), $"slow {i}");
        return (workflowId, tests);
    }

    public void Dispose() => _host.Dispose();
}
