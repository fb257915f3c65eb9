using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Retab.Runs.Benchmarks;

/// <summary>The public HTTP API as a client uses it (paths and JSON of DESIGN §3), for setting up and checking runs.</summary>
public sealed class BenchApi(HttpClient http)
{
    public async Task<JsonNode> SendAsync(HttpMethod method, string path, JsonNode? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
        return JsonNode.Parse(text)!;
    }

    public Task<string> CreateWorkflowAsync(string name, string blockId, string code) =>
        CreateWorkflowAsync(name, blockId, "function", new JsonObject { ["code"] = code });

    public async Task<string> CreateWorkflowAsync(string name, string blockId, string blockType, JsonObject config)
    {
        var created = await SendAsync(HttpMethod.Post, "/v1/workflows", new JsonObject
        {
            ["name"] = name,
            ["blocks"] = new JsonArray(new JsonObject
            {
                ["id"] = blockId,
                ["type"] = blockType,
                ["name"] = blockId,
                ["config"] = config,
            }),
        }, HttpStatusCode.Created);
        return created["id"]!.GetValue<string>();
    }

    /// <summary>Creates <paramref name="count"/> tests of <see cref="Workload"/> with a few requests in flight; returns their ids in index order.</summary>
    public async Task<string[]> CreateTestsAsync(string workflowId, string blockId, int count, int parallelism, Action<string>? progress = null)
    {
        var ids = new string[count];
        var done = 0;
        var clock = Stopwatch.StartNew();
        var step = Math.Max(1000, count / 10);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, _) =>
        {
            var created = await SendAsync(HttpMethod.Post, "/v1/workflows/tests", Workload.TestBody(workflowId, blockId, i), HttpStatusCode.Created);
            ids[i] = created["id"]!.GetValue<string>();
            var finished = Interlocked.Increment(ref done);
            if (progress is not null && finished % step == 0 && finished < count)
                progress($"  created {finished:N0}/{count:N0} tests ({finished / clock.Elapsed.TotalSeconds:0} tests/s)");
        });
        return ids;
    }

    public async Task<JsonNode> StartRunAsync(string workflowId, JsonObject? scope = null)
    {
        var body = new JsonObject { ["workflow_id"] = workflowId };
        if (scope is not null)
            body["scope"] = scope;
        return await SendAsync(HttpMethod.Post, "/v1/workflows/tests/runs", body, HttpStatusCode.Created);
    }

    public Task<JsonNode> GetRunAsync(string runId) => SendAsync(HttpMethod.Get, $"/v1/workflows/tests/runs/{runId}", null, HttpStatusCode.OK);

    /// <summary>Polls the run (every 50 ms) until it is completed, in error or cancelled; returns it as the API shows it then.</summary>
    public async Task<JsonNode> WaitForTerminalAsync(string runId, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var run = await GetRunAsync(runId);
            if (run["lifecycle"]?["status"]?.GetValue<string>() is "completed" or "error" or "cancelled")
                return run;
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"Run {runId} is still {run["lifecycle"]?["status"]} after {clock.Elapsed.TotalSeconds:0} s.");
            await Task.Delay(50);
        }
    }

    /// <summary>Uploads a file as <c>multipart/form-data</c> (<c>POST /v1/files</c>, field <c>file</c>); returns its id.</summary>
    public async Task<string> UploadAsync(string filename, byte[] content, string contentType)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        form.Add(file, "file", filename);
        using var response = await http.PostAsync("/v1/files", form);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"POST /v1/files answered {(int)response.StatusCode}, expected 201: {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    /// <summary>Every result row of a run, following the cursors: rows, distinct test ids, and verdicts of completed rows.</summary>
    public async Task<(int Rows, int DistinctTests, Dictionary<string, int> Verdicts)> CountResultsAsync(string runId)
    {
        var tests = new HashSet<string>(StringComparer.Ordinal);
        var verdicts = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = 0;
        string? after = null;
        do
        {
            var page = await SendAsync(HttpMethod.Get,
                $"/v1/workflows/tests/results?run_id={runId}&limit=100&order=asc" + (after is null ? "" : $"&after={after}"), null, HttpStatusCode.OK);
            foreach (var row in page["data"]!.AsArray())
            {
                rows++;
                tests.Add(row!["test_id"]!.GetValue<string>());
                var verdict = row["verdict"]?.GetValue<string>() ?? $"({row["lifecycle"]?["status"]})";
                verdicts[verdict] = verdicts.GetValueOrDefault(verdict) + 1;
            }
            after = page["list_metadata"]!["after"]?.GetValue<string>();
        } while (after is not null);
        return (rows, tests.Count, verdicts);
    }
}
