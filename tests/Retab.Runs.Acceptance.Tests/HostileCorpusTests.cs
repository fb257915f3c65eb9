using System.Net;
using Retab.Runs.Testing.Hostile;
using Xunit.Abstractions;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// Several hundred hostile requests over every route, from the owner, from another organization and from no one:
/// every answer is a 4xx in the documented shape with no stack trace, another organization's ids look exactly like
/// ids that do not exist, nothing of the victim changes, and afterwards both organizations still complete runs
/// with exact counts.
/// </summary>
public sealed class HostileCorpusTests(ITestOutputHelper output) : IDisposable
{
    private readonly StandaloneHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Every_hostile_request_is_a_clean_4xx_and_the_service_then_still_runs_tests()
    {
        var victim = _host.Client(StandaloneHost.KeyA);
        var neighbour = _host.Client(StandaloneHost.KeyB);
        var targets = await ArrangeVictimAsync(victim);
        var before = await SnapshotAsync(victim, targets);

        var corpus = HostileCorpus.Build(targets);
        Assert.True(corpus.Count >= 300, $"only {corpus.Count} hostile requests");
        var histogram = new SortedDictionary<int, int>();
        var failures = new List<string>();
        using var http = _host.CreateClient();
        foreach (var request in corpus)
        {
            var (status, body) = await SendAsync(http, request, request.Path);
            histogram[status] = histogram.GetValueOrDefault(status) + 1;
            if (Problem(status, body) is { } problem)
                failures.Add($"{request}: {problem}");
            if (request.GhostOf is var (victimId, ghostId))
            {
                var (ghostStatus, ghostBody) = await SendAsync(http, request, request.Path.Replace(victimId, ghostId), victimId, ghostId);
                if (ghostStatus != status || ghostBody.Replace(ghostId, "<id>") != body.Replace(victimId, "<id>"))
                    failures.Add($"{request}: answers {status} {Cut(body)} but a missing id answers {ghostStatus} {Cut(ghostBody)}");
            }
        }
        output.WriteLine($"{corpus.Count} hostile requests; status codes: {string.Join(", ", histogram.Select(h => $"{h.Key}×{h.Value}"))}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {corpus.Count} answers were wrong:\n{string.Join("\n", failures.Take(40))}");

        Assert.Equal(before, await SnapshotAsync(victim, targets));
        await AssertRunsCompleteExactlyAsync(victim, targets.WorkflowId, tests: 1);
        var neighbourWorkflow = await neighbour.CreateWorkflowAsync(("block_echo", Functions.Echo));
        for (var i = 0; i < 5; i++)
            await neighbour.CreateTestAsync(neighbourWorkflow, "block_echo", new JsonObject { ["i"] = i }, "v", Functions.Condition("equals", i));
        await AssertRunsCompleteExactlyAsync(neighbour, neighbourWorkflow, tests: 5);
    }

    private static async Task<HostileTargets> ArrangeVictimAsync(ApiClient api)
    {
        var workflowId = await api.CreateWorkflowAsync(("block_echo", Functions.Echo));
        var testId = await api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = 1 }, "v", Functions.Condition("equals", 1));
        var runId = await api.StartRunAsync(workflowId);
        await api.WaitForTerminalAsync(runId);
        var resultId = (await api.AllResultsAsync(runId))[0]["id"]!.GetValue<string>();
        var file = (await FileUploads.MultipartAsync(api, "notes.txt", "plain text"u8.ToArray(), "text/plain")).ShouldBe(HttpStatusCode.Created);
        return new HostileTargets(workflowId, "block_echo", testId, runId, resultId, file.Id);
    }

    /// <summary>What the victim owns, as the API shows it: the corpus must change none of it.</summary>
    private static async Task<string> SnapshotAsync(ApiClient api, HostileTargets t)
    {
        string[] paths = [$"/v1/workflows/{t.WorkflowId}", $"/v1/workflows/tests/{t.TestId}", $"/v1/workflows/tests/runs/{t.RunId}",
            $"/v1/workflows/tests/results/{t.ResultId}", $"/v1/files/{t.FileId}", "/v1/workflows?limit=100", $"/v1/workflows/tests?workflow_id={t.WorkflowId}"];
        var parts = new List<string>();
        foreach (var path in paths)
        {
            var response = (await api.GetAsync(path)).ShouldBe(HttpStatusCode.OK);
            // Freshness and latest-run summaries move with time and runs; the resource itself must not.
            var json = response.Json!.DeepClone();
            parts.Add(json.ToJsonString());
        }
        return string.Join("\n", parts);
    }

    private static async Task AssertRunsCompleteExactlyAsync(ApiClient api, string workflowId, int tests)
    {
        var runId = await api.StartRunAsync(workflowId);
        var run = await api.WaitForTerminalAsync(runId);
        Assert.Equal("completed", run["lifecycle"]!["status"]!.GetValue<string>());
        var results = await api.AllResultsAsync(runId);
        Assert.Equal(tests, results.Count);
        Assert.Equal(tests, run["counts"]!["passed"]!.GetValue<int>());
    }

    private static async Task<(int Status, string Body)> SendAsync(HttpClient http, HostileRequest request, string path, string? victimId = null, string? ghostId = null)
    {
        var twin = victimId is null ? request : request with { Body = request.Body?.Replace(victimId, ghostId) };
        using var message = twin.ToMessage(StandaloneHost.KeyA, StandaloneHost.KeyB, path);
        using var response = await http.SendAsync(message);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <returns>What is wrong with the answer, or null when it is a 4xx in one of the two documented shapes.</returns>
    private static string? Problem(int status, string body)
    {
        if (status is < 400 or > 499)
            return $"status {status}: {Cut(body)}";
        if (body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal))
            return $"a stack trace or exception name in the body: {Cut(body)}";
        JsonNode? detail;
        try
        {
            detail = JsonNode.Parse(body)?["detail"];
        }
        catch (System.Text.Json.JsonException)
        {
            return $"status {status} with a body that is not JSON: {Cut(body)}";
        }
        return detail switch
        {
            JsonObject error when error["code"] is JsonValue && error["message"] is JsonValue => null,
            JsonArray { Count: > 0 } items when items.All(i => i?["loc"] is JsonArray && i["msg"] is JsonValue && i["type"] is JsonValue) => null,
            _ => $"status {status} without a documented detail: {Cut(body)}",
        };
    }

    private static string Cut(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
