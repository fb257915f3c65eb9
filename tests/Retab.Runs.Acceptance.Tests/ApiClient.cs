using System.Diagnostics;
using System.Net;
using System.Text;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>A thin JSON client over the public API, plus helpers that build the usual fixtures.</summary>
public sealed class ApiClient(HttpClient http)
{
    public HttpClient Http => http;

    public Task<Response> PostAsync(string path, object? body, string? idempotencyKey = null) =>
        SendAsync(HttpMethod.Post, path, body is null ? null : Serialize(body), idempotencyKey);

    public Task<Response> PostRawAsync(string path, string rawBody) => SendAsync(HttpMethod.Post, path, rawBody);

    public Task<Response> PatchAsync(string path, object body) => SendAsync(HttpMethod.Patch, path, Serialize(body));

    public Task<Response> PutAsync(string path, object body) => SendAsync(HttpMethod.Put, path, Serialize(body));

    public Task<Response> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<Response> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public async Task<Response> SendAsync(HttpMethod method, string path, string? body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Response(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), text, response.Headers.Location?.ToString());
    }

    /// <summary>A workflow with one function block per entry of <paramref name="functions"/> (block id → JS code).</summary>
    public async Task<string> CreateWorkflowAsync(params (string BlockId, string Code)[] functions)
    {
        var blocks = new JsonArray(functions.Select(f => (JsonNode)new JsonObject
        {
            ["id"] = f.BlockId,
            ["type"] = "function",
            ["name"] = f.BlockId,
            ["config"] = new JsonObject { ["code"] = f.Code },
        }).ToArray());
        var created = await PostAsync("/v1/workflows", new JsonObject { ["name"] = "acceptance", ["blocks"] = blocks });
        created.ShouldBe(HttpStatusCode.Created);
        return created.Id;
    }

    /// <summary>A test of <paramref name="blockId"/> with JSON input and an assertion on <c>output-json-0</c>.</summary>
    public async Task<string> CreateTestAsync(string workflowId, string blockId, JsonNode? input, string? path, JsonObject condition, string? name = null)
    {
        var created = await PostAsync("/v1/workflows/tests", TestBody(workflowId, blockId, input, path, condition, name));
        created.ShouldBe(HttpStatusCode.Created);
        return created.Id;
    }

    public static JsonObject TestBody(string workflowId, string blockId, JsonNode? input, string? path, JsonObject condition, string? name = null) => new()
    {
        ["workflow_id"] = workflowId,
        ["name"] = name,
        ["target"] = new JsonObject { ["type"] = "block", ["block_id"] = blockId },
        ["source"] = new JsonObject
        {
            ["type"] = "manual",
            ["handle_inputs"] = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = input?.DeepClone() } },
        },
        ["assertion"] = new JsonObject
        {
            ["target"] = new JsonObject { ["output_handle_id"] = "output-json-0", ["path"] = path },
            ["condition"] = condition,
        },
    };

    public async Task<string> StartRunAsync(string workflowId, JsonObject? scope = null)
    {
        var body = new JsonObject { ["workflow_id"] = workflowId };
        if (scope is not null)
            body["scope"] = scope;
        var created = await PostAsync("/v1/workflows/tests/runs", body);
        created.ShouldBe(HttpStatusCode.Created);
        RunInvariants.Check(created.Json!);
        return created.Id;
    }

    /// <summary>Polls the run until it is terminal, checking the count invariants on every read.</summary>
    public async Task<JsonNode> WaitForTerminalAsync(string runId, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var run = await GetAsync($"/v1/workflows/tests/runs/{runId}");
            run.ShouldBe(HttpStatusCode.OK);
            RunInvariants.Check(run.Json!);
            if (RunInvariants.IsTerminal(run.Json!))
                return run.Json!;
            if (clock.Elapsed > (timeout ?? TimeSpan.FromSeconds(60)))
                throw new TimeoutException($"Run {runId} is still {run.Json!["lifecycle"]!["status"]} after {clock.Elapsed}: {run.Text}");
            await Task.Delay(50);
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
            page.ShouldBe(HttpStatusCode.OK);
            rows.AddRange(page.Json!["data"]!.AsArray().Select(r => r!));
            after = page.Json!["list_metadata"]!["after"]?.GetValue<string>();
        } while (after is not null);
        return rows;
    }

    private static string Serialize(object body) => body is JsonNode node ? node.ToJsonString() : System.Text.Json.JsonSerializer.Serialize(body);

    public sealed record Response(HttpStatusCode Status, JsonNode? Json, string Text, string? Location)
    {
        public string Id => Json!["id"]!.GetValue<string>();

        public Response ShouldBe(HttpStatusCode expected)
        {
            Assert.True(Status == expected, $"Expected {(int)expected} but got {(int)Status}: {Text[..System.Math.Min(Text.Length, 2000)]}");
            return this;
        }

        /// <summary>An error in the <c>{"detail": {"code", "message"}}</c> shape whose message names <paramref name="mentioning"/>.</summary>
        public Response ShouldFailWith(HttpStatusCode status, string code, string mentioning)
        {
            ShouldBe(status);
            Assert.Equal(code, Json!["detail"]!["code"]!.GetValue<string>());
            Assert.Contains(mentioning, Json!["detail"]!["message"]!.GetValue<string>());
            return this;
        }
    }
}
