using System.Net;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>Bad input gets a clear 4xx in the documented shape: never a 500, never a stack trace.</summary>
public sealed class ErrorResponseTests : IAsyncLifetime
{
    private readonly StandaloneHost _host = new();
    private ApiClient _api = null!;
    private string _workflowId = "";
    private string _testId = "";
    private string _runId = "";
    private string _resultId = "";

    public async Task InitializeAsync()
    {
        _api = _host.Client();
        _workflowId = await _api.CreateWorkflowAsync(("block_echo", Functions.Echo), ("block_empty", Functions.Echo));
        _testId = await _api.CreateTestAsync(_workflowId, "block_echo", new JsonObject { ["i"] = 1 }, "v", Functions.Condition("equals", 1));
        _runId = await _api.StartRunAsync(_workflowId);
        await _api.WaitForTerminalAsync(_runId);
        _resultId = (await _api.AllResultsAsync(_runId))[0]["id"]!.GetValue<string>();
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("/v1/files/upload", """{"filename": "a\ud800.pdf", "size_bytes": 10}""", "filename")]
    [InlineData("/v1/workflows", """{"name": "\udc00", "blocks": []}""", "name")]
    public async Task A_string_field_with_an_unpaired_surrogate_is_a_422_naming_the_field(string path, string body, string field)
    {
        var response = await _api.PostRawAsync(path, body);
        response.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var error = response.Json!["detail"]![0]!;
        Assert.Equal("string_unicode", error["type"]!.GetValue<string>());
        Assert.Equal(field, error["loc"]![1]!.GetValue<string>());
    }

    [Fact]
    public async Task Missing_or_wrong_keys_are_401_and_bearer_keys_work()
    {
        var anonymous = new ApiClient(_host.CreateClient());
        AssertError(await anonymous.GetAsync("/v1/workflows"), HttpStatusCode.Unauthorized, "unauthorized");
        using (var challenged = await anonymous.Http.GetAsync("/v1/workflows"))
            Assert.Equal("Bearer", Assert.Single(challenged.Headers.WwwAuthenticate).Scheme);

        var wrong = _host.Client("not-a-key");
        AssertError(await wrong.GetAsync($"/v1/workflows/{_workflowId}"), HttpStatusCode.Unauthorized, "unauthorized");

        var bearer = new ApiClient(_host.CreateClient());
        bearer.Http.DefaultRequestHeaders.Authorization = new("Bearer", StandaloneHost.KeyA);
        (await bearer.GetAsync($"/v1/workflows/{_workflowId}")).ShouldBe(HttpStatusCode.OK);
        bearer.Http.DefaultRequestHeaders.Authorization = new("Bearer", "wrong");
        AssertError(await bearer.GetAsync($"/v1/workflows/{_workflowId}"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Unknown_resources_are_404_with_a_code()
    {
        AssertError(await _api.GetAsync("/v1/workflows/wf_unknown"), HttpStatusCode.NotFound, "workflow_not_found");
        AssertError(await _api.GetAsync("/v1/workflows/tests/wfnodetest_unknown"), HttpStatusCode.NotFound, "test_not_found");
        AssertError(await _api.GetAsync("/v1/workflows/tests/runs/wftestrun_unknown"), HttpStatusCode.NotFound, "run_not_found");
        AssertError(await _api.GetAsync("/v1/workflows/tests/results/wfnodetestrun_unknown"), HttpStatusCode.NotFound, "result_not_found");
        AssertError(await _api.GetAsync($"/v1/workflows/tests/runs/{_runId}/results/wfnodetest_unknown"), HttpStatusCode.NotFound, "result_not_found");
        AssertError(await _api.GetAsync("/v1/workflows/tests?workflow_id=wf_unknown"), HttpStatusCode.NotFound, "workflow_not_found");
        AssertError(await _api.GetAsync("/v1/workflows/tests/results?run_id=wftestrun_unknown"), HttpStatusCode.NotFound, "run_not_found");
    }

    [Fact]
    public async Task Run_scope_errors_are_answered_at_once()
    {
        AssertError(await _api.PostAsync("/v1/workflows/tests/runs", new JsonObject { ["workflow_id"] = "wf_unknown" }),
            HttpStatusCode.NotFound, "workflow_not_found");
        AssertError(await _api.PostAsync("/v1/workflows/tests/runs", RunBody(new JsonObject { ["type"] = "single", ["test_id"] = "wfnodetest_unknown" })),
            HttpStatusCode.NotFound, "test_not_found");
        AssertError(await _api.PostAsync("/v1/workflows/tests/runs", RunBody(new JsonObject { ["type"] = "block", ["block_id"] = "block_unknown" })),
            HttpStatusCode.NotFound, "block_not_found");
        AssertError(await _api.PostAsync("/v1/workflows/tests/runs", RunBody(new JsonObject { ["type"] = "block", ["block_id"] = "block_empty" })),
            HttpStatusCode.UnprocessableEntity, "no_tests_in_scope");
    }

    [Fact]
    public async Task Another_organizations_resources_are_404_never_403()
    {
        var other = _host.Client(StandaloneHost.KeyB);
        AssertError(await other.GetAsync($"/v1/workflows/{_workflowId}"), HttpStatusCode.NotFound, "workflow_not_found");
        AssertError(await other.GetAsync($"/v1/workflows/tests/{_testId}"), HttpStatusCode.NotFound, "test_not_found");
        AssertError(await other.GetAsync($"/v1/workflows/tests/runs/{_runId}"), HttpStatusCode.NotFound, "run_not_found");
        AssertError(await other.GetAsync($"/v1/workflows/tests/results/{_resultId}"), HttpStatusCode.NotFound, "result_not_found");
        AssertError(await other.GetAsync($"/v1/workflows/tests/results?run_id={_runId}"), HttpStatusCode.NotFound, "run_not_found");
        AssertError(await other.PostAsync($"/v1/workflows/tests/runs/{_runId}/cancel", null), HttpStatusCode.NotFound, "run_not_found");
        AssertError(await other.PostAsync("/v1/workflows/tests/runs", new JsonObject { ["workflow_id"] = _workflowId }), HttpStatusCode.NotFound, "workflow_not_found");
        AssertError(await other.DeleteAsync($"/v1/workflows/{_workflowId}"), HttpStatusCode.NotFound, "workflow_not_found");
        var lists = (await other.GetAsync("/v1/workflows/tests/runs")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Empty(lists["data"]!.AsArray());
        (await _api.GetAsync($"/v1/workflows/{_workflowId}")).ShouldBe(HttpStatusCode.OK);
    }

    public static TheoryData<string, string, string, string[], string> MalformedBodies => new()
    {
        { "POST", "/v1/workflows/tests/runs", """{"workflow_id": """, ["body", "*"], "json_invalid" },
        { "POST", "/v1/workflows/tests/runs", "[1, 2]", ["body"], "dict_type" },
        { "POST", "/v1/workflows/tests/runs", """{"scope": {"type": "workflow"}}""", ["body", "workflow_id"], "missing" },
        { "POST", "/v1/workflows/tests/runs", """{"workflow_id": "WF", "scope": {"type": "everything"}}""", ["body", "scope", "type"], "union_tag_invalid" },
        { "POST", "/v1/workflows/tests/runs", """{"workflow_id": "WF", "scope": {"type": "single"}}""", ["body", "scope", "test_id"], "missing" },
        { "POST", "/v1/workflows/tests/runs", """{"workflow_id": 42}""", ["body", "workflow_id"], "string_type" },
        { "POST", "/v1/workflows/tests", TestBodyWith("""{"output_handle_id": "output-json-0", "colour": "red"}"""), ["body", "assertion", "target", "colour"], "extra_forbidden" },
        { "POST", "/v1/workflows/tests", TestBodyWith("""{"path": "v"}"""), ["body", "assertion", "target", "output_handle_id"], "missing" },
        { "POST", "/v1/workflows/tests", TestBodyWithCondition("""{"kind": "teleports_to"}"""), ["body", "assertion", "condition", "kind"], "union_tag_invalid" },
        { "POST", "/v1/workflows/tests", TestBodyWithCondition("""{"kind": "matches_regex", "pattern": "(unclosed"}"""), ["body", "assertion", "condition", "pattern"], "value_error" },
        { "POST", "/v1/workflows/tests", TestBodyWithCondition("""{"kind": "number_compare", "op": "gt", "expected": "ten"}"""), ["body", "assertion", "condition", "expected"], "float_type" },
        { "POST", "/v1/workflows/tests", TestBodyWithCondition("""{"kind": "equals"}"""), ["body", "assertion", "condition", "expected"], "missing" },
        { "PATCH", "/v1/workflows/tests/TEST", """{"assertion": null}""", ["body", "assertion"], "dict_type" },
        { "PATCH", "/v1/workflows/tests/TEST", """{"target": {"type": "block", "block_id": "block_empty"}}""", ["body", "target"], "immutable" },
        { "POST", "/v1/workflows", """{"name": "x", "blocks": [{"type": "teleport"}]}""", ["body", "blocks", "0", "type"], "literal_error" },
        { "POST", "/v1/workflows", """{"name": "x", "blocks": [{"type": "function", "config": {}}]}""", ["body", "blocks", "0", "config", "code"], "missing" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_bodies_are_422_in_the_FastAPI_shape(string method, string path, string body, string[] loc, string type)
    {
        var response = await _api.SendAsync(new HttpMethod(method), path.Replace("TEST", _testId), body.Replace("\"WF\"", $"\"{_workflowId}\""));
        response.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var errors = response.Json!["detail"]!.AsArray();
        Assert.Contains(errors, e =>
            e!["type"]!.GetValue<string>() == type
            && LocMatches(e["loc"]!.AsArray().Select(p => p!.ToString()).ToList(), loc)
            && e["msg"]!.GetValue<string>().Length > 0);
        AssertNoStackTrace(response);
    }

    [Fact]
    public async Task Malformed_requests_lose_nothing()
    {
        (await _api.PostRawAsync("/v1/workflows/tests/runs", "{not json")).ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await _api.PatchAsync($"/v1/workflows/tests/{_testId}", new JsonObject { ["assertion"] = null })).ShouldBe(HttpStatusCode.UnprocessableEntity);
        var test = (await _api.GetAsync($"/v1/workflows/tests/{_testId}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Equal("equals", test["assertion"]!["condition"]!["kind"]!.GetValue<string>());
        var runs = (await _api.GetAsync($"/v1/workflows/tests/runs?workflow_id={_workflowId}")).ShouldBe(HttpStatusCode.OK).Json!;
        Assert.Single(runs["data"]!.AsArray());
    }

    [Fact]
    public async Task Bad_query_parameters_are_422()
    {
        var response = (await _api.GetAsync("/v1/workflows/tests/runs?limit=1000&status=exploded")).ShouldBe(HttpStatusCode.UnprocessableEntity);
        var locs = response.Json!["detail"]!.AsArray().Select(e => string.Join('.', e!["loc"]!.AsArray().Select(p => p!.ToString()))).ToList();
        Assert.Contains("query.limit", locs);
        Assert.Contains("query.status", locs);
        (await _api.GetAsync("/v1/workflows/tests/results")).ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await _api.GetAsync("/v1/workflows/tests")).ShouldBe(HttpStatusCode.UnprocessableEntity);
    }

    /// <summary>"*" in the expected loc matches any one element (a JSON error's position).</summary>
    private static bool LocMatches(List<string> actual, string[] expected) =>
        actual.Count == expected.Length && actual.Zip(expected).All(p => p.Second == "*" || p.First == p.Second);

    private JsonObject RunBody(JsonObject scope) => new() { ["workflow_id"] = _workflowId, ["scope"] = scope };

    private static string TestBodyWith(string target)
    {
        var body = ApiClient.TestBody("WF", "block_echo", 1, null, Functions.Condition("exists"));
        body["assertion"]!["target"] = JsonNode.Parse(target);
        return body.ToJsonString();
    }

    private static string TestBodyWithCondition(string condition)
    {
        var body = ApiClient.TestBody("WF", "block_echo", 1, null, Functions.Condition("exists"));
        body["assertion"]!["condition"] = JsonNode.Parse(condition);
        return body.ToJsonString();
    }

    private static void AssertError(ApiClient.Response response, HttpStatusCode status, string code)
    {
        response.ShouldBe(status);
        Assert.Equal(code, response.Json!["detail"]!["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(response.Json!["detail"]!["message"]!.GetValue<string>()));
        AssertNoStackTrace(response);
    }

    private static void AssertNoStackTrace(ApiClient.Response response)
    {
        Assert.True((int)response.Status < 500, response.Text);
        Assert.DoesNotContain("   at ", response.Text);
        Assert.DoesNotContain("Exception", response.Text);
    }
}
