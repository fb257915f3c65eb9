using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Retab.Runs.Compatibility.Tests.Hosts;

/// <summary>A thin JSON client over the public API; every answer keeps the request that produced it.</summary>
public sealed class ApiClient(HttpClient http)
{
    private static readonly string[] TerminalStatuses = ["completed", "error", "cancelled"];

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<ApiResponse> PostAsync(string path, JsonNode? body) => SendAsync(HttpMethod.Post, path, body);

    public Task<ApiResponse> PatchAsync(string path, JsonNode body) => SendAsync(HttpMethod.Patch, path, body);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        return await ApiResponse.ReadAsync($"{method} {path}", response);
    }

    /// <summary><c>curl -F file=@…</c>: the one-request upload.</summary>
    public async Task<ApiResponse> UploadMultipartAsync(string filename, byte[] content, string contentType)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", filename);
        using var response = await http.PostAsync("/v1/files", form);
        return await ApiResponse.ReadAsync("POST /v1/files (multipart)", response);
    }

    /// <summary>PUTs the bytes to a signed upload URL, as an SDK does (the signature is the authorization).</summary>
    public async Task PutContentAsync(string uploadUrl, byte[] content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, uploadUrl) { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"PUT {uploadUrl} answered {(int)response.StatusCode}");
    }

    public async Task<string> CreateWorkflowAsync(string name, JsonArray blocks) =>
        (await PostAsync("/v1/workflows", new JsonObject { ["name"] = name, ["blocks"] = blocks })).Expect(HttpStatusCode.Created).Id;

    public async Task<ApiResponse> StartRunAsync(string workflowId, JsonObject? scope = null)
    {
        var body = new JsonObject { ["workflow_id"] = workflowId };
        if (scope is not null)
            body["scope"] = scope;
        return (await PostAsync("/v1/workflows/tests/runs", body)).Expect(HttpStatusCode.Created);
    }

    public Task<ApiResponse> GetRunAsync(string runId) => GetAsync($"/v1/workflows/tests/runs/{runId}");

    public Task<ApiResponse> WaitForTerminalAsync(string runId) =>
        WaitForRunAsync(runId, run => TerminalStatuses.Contains(Status(run)), "a terminal state");

    /// <summary>Polls the run until <paramref name="wanted"/> holds; fails when it ends first or takes a minute.</summary>
    public async Task<ApiResponse> WaitForRunAsync(string runId, Func<JsonNode, bool> wanted, string description)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var run = (await GetRunAsync(runId)).Expect(HttpStatusCode.OK);
            if (wanted(run.Json!))
                return run;
            if (TerminalStatuses.Contains(Status(run.Json!)) || clock.Elapsed > TimeSpan.FromMinutes(1))
                throw new InvalidOperationException($"Run {runId} never reached {description}: {run.Text}");
            await Task.Delay(20);
        }
    }

    /// <summary>Every result row of a run, following the cursors.</summary>
    public async Task<List<JsonNode>> AllResultsAsync(string runId)
    {
        var rows = new List<JsonNode>();
        string? after = null;
        do
        {
            var page = (await GetAsync($"/v1/workflows/tests/results?run_id={runId}&limit=100&order=asc" + (after is null ? "" : $"&after={after}")))
                .Expect(HttpStatusCode.OK);
            rows.AddRange(page.Json!["data"]!.AsArray().Select(r => r!));
            after = page.Json!["list_metadata"]!["after"]?.GetValue<string>();
        } while (after is not null);
        return rows;
    }

    public static string Status(JsonNode runOrResult) => runOrResult["lifecycle"]!["status"]!.GetValue<string>();
}

/// <summary>One answer of the API: the request that produced it (<c>GET /v1/…</c>), its status and body.</summary>
public sealed record ApiResponse(string Request, HttpStatusCode Status, JsonNode? Json, string Text)
{
    public string Id => Json!["id"]!.GetValue<string>();

    public static async Task<ApiResponse> ReadAsync(string request, HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json") == true)
            json = JsonNode.Parse(text);
        return new ApiResponse(request, response.StatusCode, json, text);
    }

    public ApiResponse Expect(HttpStatusCode status) => Status == status
        ? this
        : throw new InvalidOperationException($"{Request} answered {(int)Status}, not {(int)status}: {Text[..Math.Min(Text.Length, 2000)]}");
}
