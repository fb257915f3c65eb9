using System.Diagnostics;
using System.Net;
using System.Text;

namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>A minimal JSON client over the public HTTP API (DESIGN §3), for arranging data and reading runs back.</summary>
public sealed class Api(HttpClient http)
{
    /// <summary>Sends as a well-behaved client does: a 429 (the gateway's per-key rate, on by default) waits its Retry-After and tries again.</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Json, string Text)> SendAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        while (true)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter?.Delta is { } wait)
            {
                await Task.Delay(wait);
                continue;
            }
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), text);
        }
    }

    public async Task<JsonNode> ExpectAsync(HttpStatusCode expected, HttpMethod method, string path, JsonNode? body = null)
    {
        var (status, json, text) = await SendAsync(method, path, body);
        Assert.True(status == expected, $"{method} {path}: expected {(int)expected}, got {(int)status}: {text}");
        return json!;
    }

    public Task<JsonNode> GetAsync(string path) => ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, path);

    /// <summary>Uploads a file in one step (multipart <c>POST /v1/files</c>); returns its reference.</summary>
    public async Task<JsonNode> UploadFileAsync(string filename, byte[] content)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", filename } };
        using var response = await http.PostAsync("/v1/files", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /v1/files: expected 201, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>A workflow with one function block <paramref name="blockId"/> running <paramref name="code"/>.</summary>
    public async Task<string> CreateFunctionWorkflowAsync(string blockId, string code)
    {
        var created = await ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v1/workflows", new JsonObject
        {
            ["name"] = "integration",
            ["blocks"] = new JsonArray(new JsonObject
            {
                ["id"] = blockId,
                ["type"] = "function",
                ["name"] = blockId,
                ["config"] = new JsonObject { ["code"] = code },
            }),
        });
        return created["id"]!.GetValue<string>();
    }

    /// <summary>A test of <paramref name="blockId"/>: JSON <paramref name="input"/>, one assertion on <c>output-json-0</c> at <paramref name="path"/>.</summary>
    public async Task<string> CreateTestAsync(string workflowId, string blockId, JsonNode input, string path, JsonObject condition)
    {
        var created = await ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v1/workflows/tests", new JsonObject
        {
            ["workflow_id"] = workflowId,
            ["target"] = new JsonObject { ["type"] = "block", ["block_id"] = blockId },
            ["source"] = new JsonObject
            {
                ["type"] = "manual",
                ["handle_inputs"] = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = input } },
            },
            ["assertion"] = new JsonObject
            {
                ["target"] = new JsonObject { ["output_handle_id"] = "output-json-0", ["path"] = path },
                ["condition"] = condition,
            },
        });
        return created["id"]!.GetValue<string>();
    }

    public async Task<string> StartRunAsync(string workflowId)
    {
        var run = await ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v1/workflows/tests/runs", new JsonObject { ["workflow_id"] = workflowId });
        RunInvariants.Check(run);
        return run["id"]!.GetValue<string>();
    }

    /// <summary>Polls the run (404 while a bus-created run does not exist yet) until it is terminal; checks the count invariants on every read.</summary>
    public async Task<JsonNode> WaitForTerminalAsync(string runId, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (status, run, text) = await SendAsync(HttpMethod.Get, $"/v1/workflows/tests/runs/{runId}");
            if (status == HttpStatusCode.OK)
            {
                RunInvariants.Check(run!);
                if (RunInvariants.IsTerminal(run!))
                    return run!;
            }
            else
            {
                Assert.True(status == HttpStatusCode.NotFound, $"GET run {runId}: {(int)status}: {text}");
            }
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"Run {runId} is not terminal after {clock.Elapsed.TotalSeconds:0} s: {(int)status} {text}");
            await Task.Delay(500);
        }
    }

    /// <summary>Every result row of a run, following the cursors.</summary>
    public async Task<List<JsonNode>> AllResultsAsync(string runId)
    {
        var rows = new List<JsonNode>();
        string? after = null;
        do
        {
            var page = await GetAsync($"/v1/workflows/tests/results?run_id={runId}&limit=100&order=asc" + (after is null ? "" : $"&after={after}"));
            rows.AddRange(page["data"]!.AsArray().Select(r => r!));
            after = page["list_metadata"]!["after"]?.GetValue<string>();
        } while (after is not null);
        return rows;
    }
}

/// <summary>The count invariants of DESIGN §3.4, checked on every run read back.</summary>
public static class RunInvariants
{
    private static readonly string[] Lifecycles = ["pending", "queued", "running", "completed", "error", "cancelled"];

    public static string Status(JsonNode run) => run["lifecycle"]!["status"]!.GetValue<string>();

    public static bool IsTerminal(JsonNode run) => Status(run) is "completed" or "error" or "cancelled";

    public static void Check(JsonNode run)
    {
        var counts = run["counts"]!;
        int L(string key) => counts["lifecycle_counts"]![key]!.GetValue<int>();
        int O(string key) => counts["outcome"]![key]!.GetValue<int>();
        int C(string key) => counts[key]!.GetValue<int>();
        var total = run["total_tests"]!.GetValue<int>();
        var context = run.ToJsonString();

        Assert.True(Lifecycles.Sum(L) == total, $"Σ lifecycle_counts != total_tests: {context}");
        Assert.True(O("passed") + O("failed") + O("blocked") == L("completed"), $"Σ outcome != lifecycle completed: {context}");
        Assert.True(C("passed") == O("passed") && C("failed") == O("failed") && C("blocked") == O("blocked"), $"flat verdicts != outcome: {context}");
        Assert.True(C("queued") == L("pending") + L("queued"), $"flat queued != pending + queued: {context}");
        Assert.True(C("running") == L("running") && C("error") == L("error") && C("cancelled") == L("cancelled"), $"flat lifecycle counts differ: {context}");
        if (Status(run) == "completed")
            Assert.True(L("completed") + L("error") + L("cancelled") == total, $"completed run with active slots: {context}");
    }
}
