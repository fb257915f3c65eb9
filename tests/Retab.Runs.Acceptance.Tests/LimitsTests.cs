using System.Diagnostics;
using System.Net;
using System.Text;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// The <c>Limits</c> table at the edge: every limit answers a clear 413/422/429 in the documented shape naming its
/// setting, and nothing the edge refuses reaches a store. Small limits keep the bodies small.
/// </summary>
public sealed class LimitsTests : IAsyncLifetime
{
    private readonly StandaloneHost _host = new(settings: new Dictionary<string, string?>
    {
        ["Limits:MaxRequestBytes"] = "200000",
        ["Limits:MaxStringLength"] = "5000",
        ["Limits:MaxJsonDepth"] = "20",
        ["Limits:MaxTestInputBytes"] = "20000",
        ["Limits:MaxTestsPerRun"] = "3",
        ["Limits:MaxSchemaNodes"] = "2000",
    });

    private ApiClient _api = null!;
    private string _workflowId = "";

    public async Task InitializeAsync()
    {
        _api = _host.Client();
        _workflowId = await _api.CreateWorkflowAsync(("block_echo", Functions.Echo));
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_body_over_MaxRequestBytes_is_a_413_whether_announced_or_streamed()
    {
        var big = $$$"""{"name": "{{{new string('x', 300_000)}}}", "blocks": []}""";
        (await _api.PostRawAsync("/v1/workflows", big)).ShouldFailWith(HttpStatusCode.RequestEntityTooLarge, "request_too_large", "Limits:MaxRequestBytes");

        // Chunked: no Content-Length, so the gateway has to stop reading by itself.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/workflows")
        {
            Content = new ChunkedContent(Encoding.UTF8.GetBytes(big)),
        };
        using var response = await _api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        // With an Idempotency-Key the body is read first by the idempotency filter: the same answer.
        (await _api.SendAsync(HttpMethod.Post, "/v1/workflows", big, idempotencyKey: "big-1"))
            .ShouldFailWith(HttpStatusCode.RequestEntityTooLarge, "request_too_large", "Limits:MaxRequestBytes");
        Assert.Empty(await WorkflowNamesAsync(n => n.Length > 1000));
    }

    [Fact]
    public async Task A_body_just_under_MaxRequestBytes_is_read_whole_whether_announced_or_streamed()
    {
        // Many read pieces' worth of body, each string under MaxStringLength, with two-byte characters across the
        // pieces' boundaries; written as raw UTF-8 (not \u escapes) so the bytes on the wire are the text's own.
        var code = "function main(input) { return { v: input.i }; } // " + string.Concat(Enumerable.Repeat("héllo wörld ", 370));
        var blocks = Enumerable.Range(0, 34).Select(i => (JsonNode)new JsonObject
        {
            ["id"] = $"block_{i}", ["type"] = "function", ["name"] = $"block_{i}", ["config"] = new JsonObject { ["code"] = code },
        });
        var body = new JsonObject { ["name"] = "near the limit ✓", ["blocks"] = new JsonArray(blocks.ToArray()) }
            .ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.InRange(Encoding.UTF8.GetByteCount(body), 150_000, 200_000);

        var announced = (await _api.PostRawAsync("/v1/workflows", body)).ShouldBe(HttpStatusCode.Created);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/workflows") { Content = new ChunkedContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await _api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var streamedId = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        foreach (var id in new[] { announced.Id, streamedId })
        {
            var workflow = (await _api.GetAsync($"/v1/workflows/{id}")).ShouldBe(HttpStatusCode.OK).Json!;
            Assert.Equal("near the limit ✓", workflow["name"]!.GetValue<string>());
            Assert.Equal(34, workflow["blocks"]!.AsArray().Count);
            Assert.All(workflow["blocks"]!.AsArray(), block => Assert.Equal(code, block!["config"]!["code"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Invalid_utf8_in_a_body_string_is_read_as_replacement_characters()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"name": "bad # byte", "blocks": []}""");
        bytes[Array.IndexOf(bytes, (byte)'#')] = 0xFF; // never valid in UTF-8
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/workflows") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await _api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("bad \uFFFD byte", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deep_nesting_long_strings_and_broken_surrogates_anywhere_in_a_body_are_422s_naming_where()
    {
        var deep = new string('[', 25) + new string(']', 25);
        var tooDeep = await _api.PostRawAsync("/v1/workflows/tests", TestBodyWithData(deep));
        var problem = AssertValidation(tooDeep, "json_too_deep");
        Assert.Contains("Limits:MaxJsonDepth", problem["msg"]!.GetValue<string>());

        var longString = await _api.PostRawAsync("/v1/workflows", $$$"""{"name": "ok", "blocks": [{"id": "block_a", "type": "function", "config": {"code": "{{{new string('a', 6000)}}}"}}]}""");
        problem = AssertValidation(longString, "string_too_long");
        Assert.Equal("""["body","blocks",0,"config","code"]""", problem["loc"]!.ToJsonString());

        // An unpaired surrogate inside user data (not a field the route reads as text) and inside a key.
        var inData = await _api.PostRawAsync("/v1/workflows/tests", TestBodyWithData("""{"note": "a\ud800b"}"""));
        AssertValidation(inData, "string_unicode");
        var inKey = await _api.PostRawAsync("/v1/workflows", """{"name": "ok", "blocks": [{"id": "block_a", "type": "function", "config": {"code": "function main(){}", "\udc00": 1}}]}""");
        AssertValidation(inKey, "string_unicode");
        Assert.Empty(await WorkflowNamesAsync(n => n == "ok"));
    }

    [Fact]
    public async Task A_test_input_over_MaxTestInputBytes_is_a_422_input_too_large()
    {
        var input = new JsonObject { ["text"] = new string('z', 4000), ["more"] = new JsonArray(Enumerable.Range(0, 5).Select(_ => (JsonNode)new string('y', 4000)).ToArray()) };
        var response = await _api.PostAsync("/v1/workflows/tests", ApiClient.TestBody(_workflowId, "block_echo", input, "v", Functions.Condition("exists")));
        var problem = AssertValidation(response, "input_too_large");
        Assert.Contains("Limits:MaxTestInputBytes", problem["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_exponential_schema_is_refused_at_once_as_schema_too_complex()
    {
        // Eighteen levels, each referencing the next twice: 2^18 subschemas to a compiler, 1.3 KB of text.
        var defs = new JsonObject();
        for (var level = 0; level < 18; level++)
        {
            defs[$"l{level}"] = level == 17
                ? new JsonObject { ["type"] = "object" }
                : new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = $"#/$defs/l{level + 1}" }, new JsonObject { ["$ref"] = $"#/$defs/l{level + 1}" }) };
        }
        var schema = new JsonObject { ["$defs"] = defs, ["$ref"] = "#/$defs/l0" };
        var clock = Stopwatch.StartNew();
        var response = await _api.PostAsync("/v1/workflows/tests", ApiClient.TestBody(_workflowId, "block_echo", new JsonObject { ["i"] = 1 }, "v",
            Functions.Condition("json_schema_valid", schema, "schema")));
        clock.Stop();
        var problem = AssertValidation(response, "schema_too_complex");
        Assert.Contains("Limits:MaxSchemaNodes", problem["msg"]!.GetValue<string>());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"refusing the schema took {clock.Elapsed}");

        // A recursive schema (a tree) is not exponential: it is accepted.
        var tree = JsonNode.Parse("""{"$defs": {"node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}}, "$ref": "#/$defs/node"}""")!;
        (await _api.PostAsync("/v1/workflows/tests", ApiClient.TestBody(_workflowId, "block_echo", new JsonObject { ["i"] = 1 }, "v",
            Functions.Condition("json_schema_valid", tree, "schema")))).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_run_over_MaxTestsPerRun_is_a_422_and_no_run_is_stored()
    {
        var workflowId = await _api.CreateWorkflowAsync(("block_echo", Functions.Echo));
        for (var i = 0; i < 4; i++)
            await _api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = i }, "v", Functions.Condition("equals", i));
        var response = await _api.PostAsync("/v1/workflows/tests/runs", new { workflow_id = workflowId });
        response.ShouldFailWith(HttpStatusCode.UnprocessableEntity, "too_many_tests", "Limits:MaxTestsPerRun");
        var runs = await _api.GetAsync($"/v1/workflows/tests/runs?workflow_id={workflowId}");
        Assert.Empty(runs.Json!["data"]!.AsArray());
    }

    [Fact]
    public async Task A_body_the_edge_lets_in_but_the_store_cannot_hold_is_a_413_and_nothing_is_stored()
    {
        // The store escapes non-ASCII text (6 bytes per 'é'): 3 million of them are 6 MB on the wire, 18 MB stored.
        using var host = new StandaloneHost(settings: new Dictionary<string, string?>
        {
            ["Limits:MaxRequestBytes"] = (14 * 1024 * 1024).ToString(),
            ["Limits:MaxOutputBytes"] = (1024 * 1024).ToString(),
            ["Limits:MaxStringLength"] = "4000000",
        });
        var api = host.Client();
        var response = await api.PostRawAsync("/v1/workflows", "{\"name\": \"" + new string('é', 3_000_000) + "\", \"blocks\": []}");
        response.ShouldFailWith(HttpStatusCode.RequestEntityTooLarge, "document_too_large", "MaxStoredDocumentBytes");
        Assert.Empty((await api.GetAsync("/v1/workflows")).Json!["data"]!.AsArray());
    }

    [Theory]
    [InlineData("/v1/workflows/tests/runs?status=queued,running")]
    [InlineData("/v1/workflows/tests/runs?status=1")]
    [InlineData("/v1/workflows/tests/runs?exclude_status=completed,error")]
    public async Task An_enum_filter_takes_one_name_not_a_list_or_a_number(string path)
    {
        var response = await _api.GetAsync(path);
        AssertValidation(response, "enum");
    }

    /// <summary>A test body whose input data is <paramref name="dataJson"/>, verbatim.</summary>
    private string TestBodyWithData(string dataJson) =>
        "{\"workflow_id\": \"" + _workflowId + "\", \"target\": {\"type\": \"block\", \"block_id\": \"block_echo\"}, "
        + "\"source\": {\"type\": \"manual\", \"handle_inputs\": {\"input-json-0\": {\"type\": \"json\", \"data\": " + dataJson + "}}}, "
        + "\"assertion\": {\"target\": {\"output_handle_id\": \"output-json-0\"}, \"condition\": {\"kind\": \"exists\"}}}";

    private async Task<List<string>> WorkflowNamesAsync(Func<string, bool> predicate)
    {
        var page = await _api.GetAsync("/v1/workflows?limit=100");
        return page.Json!["data"]!.AsArray().Select(w => w!["name"]!.GetValue<string>()).Where(predicate).ToList();
    }

    private static JsonNode AssertValidation(ApiClient.Response response, string type)
    {
        Assert.True(response.Status == HttpStatusCode.UnprocessableEntity, $"expected 422, got {(int)response.Status}: {response.Text[..Math.Min(500, response.Text.Length)]}");
        var problems = response.Json!["detail"]!.AsArray();
        return problems.FirstOrDefault(p => p!["type"]!.GetValue<string>() == type)
               ?? throw new Xunit.Sdk.XunitException($"no '{type}' problem in {response.Text[..Math.Min(500, response.Text.Length)]}");
    }

    /// <summary>Content without a length, sent chunked.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
