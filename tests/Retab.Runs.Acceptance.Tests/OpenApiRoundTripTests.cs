using System.Net;
using Retab.Runs.Testing;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// Live exchanges with the real API, each held to the OpenAPI document (<see cref="ContractClient"/>): bodies sent
/// conform to the request schemas, and every answer — errors included — to the schema declared for its status.
/// </summary>
public sealed class OpenApiRoundTripTests : IAsyncLifetime
{
    private const string Block = "block_rich";
    private readonly StandaloneHost _host = new(settings: new Dictionary<string, string?> { ["Auth:AdminKey"] = StandaloneHost.AdminKey });
    private ContractClient _api = null!;

    public async Task InitializeAsync()
    {
        var http = _host.CreateClient();
        http.DefaultRequestHeaders.Add("Api-Key", StandaloneHost.KeyA);
        _api = new ContractClient(await OpenApiContract.LoadAsync(http), http);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Workflows_and_tests_answer_as_documented()
    {
        var workflowId = await CreateWorkflowAsync(("block_other", Functions.Echo));
        var workflow = Path("workflow_id", workflowId);
        await _api.SendAsync("list_workflows", HttpStatusCode.OK, query: "limit=1&order=asc");
        await _api.SendAsync("get_workflow", HttpStatusCode.OK, path: workflow);
        var blocks = new JsonArray(FunctionBlock(Block, ConditionExamples.Function), new JsonObject
        {
            ["type"] = "extract",
            ["config"] = new JsonObject { ["json_schema"] = new JsonObject { ["type"] = "object" } },
        });
        await _api.SendAsync("replace_workflow_draft", HttpStatusCode.OK, new JsonObject { ["blocks"] = blocks }, workflow);
        await _api.SendAsync("update_workflow_block", HttpStatusCode.OK, new JsonObject { ["name"] = "Rich output" }, Path("workflow_id", workflowId, "block_id", Block));

        var testIds = new List<string>();
        foreach (var (path, condition) in ConditionExamples.All)
            testIds.Add((await _api.SendAsync("create_workflow_test", HttpStatusCode.Created, TestBody(workflowId, path, condition))).Id);
        var test = Path("test_id", testIds[0]);
        await _api.SendAsync("get_workflow_test", HttpStatusCode.OK, path: test);
        await _api.SendAsync("list_workflow_tests", HttpStatusCode.OK, query: $"workflow_id={workflowId}&target_block_id={Block}&limit=100");
        var update = new JsonObject
        {
            ["name"] = null,
            ["assertion"] = new JsonObject
            {
                ["target"] = new JsonObject { ["output_handle_id"] = "output-json-0", ["path"] = "n" },
                ["condition"] = new JsonObject { ["kind"] = "between", ["lower"] = 1, ["upper"] = 50 },
                ["label"] = "in range",
            },
            ["source"] = Source(new JsonObject { ["x"] = 2 }),
        };
        await _api.SendAsync("update_workflow_test", HttpStatusCode.OK, update, test);
        await _api.SendAsync("delete_workflow_test", HttpStatusCode.NoContent, path: Path("test_id", testIds[^1]));

        // The errors: each in its documented shape, and the bodies the API refuses are the ones the schemas refuse.
        await _api.SendAsync("get_workflow_test", HttpStatusCode.NotFound, path: Path("test_id", testIds[^1]));
        await _api.SendAsync("get_workflow", HttpStatusCode.NotFound, path: Path("workflow_id", "wf_unknown"));
        await _api.SendAsync("create_workflow", HttpStatusCode.UnprocessableEntity,
            new JsonObject { ["name"] = "", ["blocks"] = new JsonArray(new JsonObject { ["type"] = "nope" }), ["color"] = "red" }, bodyConforms: false);
        await _api.SendAsync("create_workflow", HttpStatusCode.UnprocessableEntity,
            new JsonObject { ["name"] = "f", ["blocks"] = new JsonArray(new JsonObject { ["type"] = "function", ["config"] = new JsonObject { ["timeout_ms"] = 0 } }) }, bodyConforms: false);
        await _api.SendAsync("list_workflows", HttpStatusCode.UnprocessableEntity, query: "limit=101");
        var badCondition = TestBody(workflowId, "n", new JsonObject { ["kind"] = "number_compare", ["op"] = "bigger", ["expected"] = "1", ["extra"] = true });
        await _api.SendAsync("create_workflow_test", HttpStatusCode.UnprocessableEntity, badCondition, bodyConforms: false);
        var unknownTag = TestBody(workflowId, "n", new JsonObject { ["kind"] = "roughly_equals" });
        await _api.SendAsync("create_workflow_test", HttpStatusCode.UnprocessableEntity, unknownTag, bodyConforms: false);
        await _api.SendAsync("create_workflow_test", HttpStatusCode.NotFound, TestBody("wf_unknown", "n", new JsonObject { ["kind"] = "exists" }));
        await _api.SendAsync("update_workflow_test", HttpStatusCode.UnprocessableEntity, new JsonObject { ["assertion"] = null }, test, bodyConforms: false);
        await _api.SendAsync("update_workflow_test", HttpStatusCode.UnprocessableEntity,
            new JsonObject { ["target"] = new JsonObject { ["type"] = "block", ["block_id"] = Block } }, test, bodyConforms: false);
        await _api.SendAsync("list_workflow_tests", HttpStatusCode.UnprocessableEntity);
        await _api.SendAsync("list_workflow_tests", HttpStatusCode.NotFound, query: "workflow_id=wf_unknown");
        await _api.SendAsync("delete_workflow", HttpStatusCode.NoContent, path: Path("workflow_id", await CreateWorkflowAsync(("block_x", Functions.Echo))));

        var anonymous = new ContractClient(_api.Contract, _host.CreateClient());
        await anonymous.SendAsync("list_workflows", HttpStatusCode.Unauthorized);
        await anonymous.SendAsync("create_workflow_test_run", HttpStatusCode.Unauthorized, new JsonObject { ["workflow_id"] = workflowId });
    }

    [Fact]
    public async Task Completed_and_cancelled_runs_and_their_results_answer_as_documented()
    {
        var workflowId = await CreateWorkflowAsync((Block, ConditionExamples.Function));
        var testIds = new List<string>();
        foreach (var (path, condition) in ConditionExamples.All)
            testIds.Add((await _api.SendAsync("create_workflow_test", HttpStatusCode.Created, TestBody(workflowId, path, condition))).Id);

        var runId = (await _api.SendAsync("create_workflow_test_run", HttpStatusCode.Created, new JsonObject { ["workflow_id"] = workflowId, ["scope"] = null })).Id;
        var run = await WaitForTerminalAsync(runId);
        Assert.Equal("completed", RunInvariants.Status(run));
        AssertTheSchemaIsStrict(run);
        var results = (await _api.SendAsync("list_workflow_test_results", HttpStatusCode.OK, query: $"run_id={runId}&limit=100&order=asc")).Json!["data"]!.AsArray();
        Assert.Equal(ConditionExamples.All.Count, results.Count);
        Assert.Equal(["blocked", "failed", "passed"], results.Select(r => r!["verdict"]!.GetValue<string>()).Distinct().Order());
        foreach (var result in results)
            await _api.SendAsync("get_workflow_test_result", HttpStatusCode.OK, path: Path("result_id", result!["id"]!.GetValue<string>()));
        await _api.SendAsync("list_workflow_test_results", HttpStatusCode.OK, query: $"run_id={runId}&status=completed&verdict=blocked");
        await _api.SendAsync("get_workflow_test_run_result", HttpStatusCode.OK, path: Path("run_id", runId, "test_id", testIds[0]));
        await _api.SendAsync("get_workflow_test", HttpStatusCode.OK, path: Path("test_id", testIds[0]));
        await _api.SendAsync("list_workflow_test_runs", HttpStatusCode.OK,
            query: $"workflow_id={workflowId}&status=completed&exclude_status=error&trigger_type=api&from_date=2020-01-01&to_date=2999-01-01T00:00:00Z&limit=5");

        // Narrower scopes, a source copied from a result, and a replayed Idempotency-Key.
        var single = new JsonObject { ["workflow_id"] = workflowId, ["scope"] = new JsonObject { ["type"] = "single", ["test_id"] = testIds[0] } };
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "openapi-run-once" };
        var first = await _api.SendAsync("create_workflow_test_run", HttpStatusCode.Created, single, headers: key);
        Assert.Equal(first.Id, (await _api.SendAsync("create_workflow_test_run", HttpStatusCode.Created, single, headers: key)).Id);
        await _api.SendAsync("create_workflow_test_run", HttpStatusCode.Conflict, new JsonObject { ["workflow_id"] = workflowId }, headers: key);
        await _api.SendAsync("create_workflow_test_run", HttpStatusCode.BadRequest, single, headers: new Dictionary<string, string> { ["Idempotency-Key"] = new string('k', 256) });
        await WaitForTerminalAsync(first.Id);
        var block = new JsonObject { ["workflow_id"] = workflowId, ["scope"] = new JsonObject { ["type"] = "block", ["block_id"] = Block } };
        await WaitForTerminalAsync((await _api.SendAsync("create_workflow_test_run", HttpStatusCode.Created, block)).Id);
        var copied = TestBody(workflowId, "n", new JsonObject { ["kind"] = "exists" });
        copied["source"] = new JsonObject { ["type"] = "run_step", ["run_id"] = results[0]!["id"]!.GetValue<string>() };
        await _api.SendAsync("create_workflow_test", HttpStatusCode.Created, copied);
        // A source naming a run by an id that is no run id, and one of its tests: nothing to copy, not a crash.
        copied["source"] = new JsonObject { ["type"] = "run_step", ["run_id"] = "x", ["step_id"] = testIds[0] };
        await _api.SendAsync("create_workflow_test", HttpStatusCode.UnprocessableEntity, copied);

        // A run cancelled while its slow tests are queued; its results say so.
        var slowWorkflowId = await CreateWorkflowAsync(("block_slow", Functions.Slow));
        for (var i = 0; i < 20; i++)
            await _api.SendAsync("create_workflow_test", HttpStatusCode.Created, TestBody(slowWorkflowId, "done", new JsonObject { ["kind"] = "equals", ["expected"] = true }, "block_slow"));
        var slowRunId = (await _api.SendAsync("create_workflow_test_run", HttpStatusCode.Created, new JsonObject { ["workflow_id"] = slowWorkflowId })).Id;
        var cancelled = await _api.SendAsync("cancel_workflow_test_run", HttpStatusCode.OK, new JsonObject { ["reason"] = "enough" }, Path("run_id", slowRunId));
        Assert.Equal("cancelled", RunInvariants.Status(cancelled.Json!));
        await _api.SendAsync("list_workflow_test_results", HttpStatusCode.OK, query: $"run_id={slowRunId}&status=cancelled&limit=100");
        await _api.SendAsync("list_workflow_test_runs", HttpStatusCode.OK, query: "status=cancelled");

        // The errors of runs, in both 422 shapes.
        await _api.SendAsync("cancel_workflow_test_run", HttpStatusCode.Conflict, path: Path("run_id", runId));
        await _api.SendAsync("cancel_workflow_test_run", HttpStatusCode.NotFound, path: Path("run_id", "wftestrun_unknown"));
        await _api.SendAsync("get_workflow_test_run", HttpStatusCode.NotFound, path: Path("run_id", "wftestrun_unknown"));
        await _api.SendAsync("get_workflow_test_run_result", HttpStatusCode.NotFound, path: Path("run_id", runId, "test_id", "wfnodetest_unknown"));
        await _api.SendAsync("create_workflow_test_run", HttpStatusCode.NotFound, new JsonObject { ["workflow_id"] = "wf_unknown" });
        await _api.SendAsync("create_workflow_test_run", HttpStatusCode.NotFound,
            new JsonObject { ["workflow_id"] = workflowId, ["scope"] = new JsonObject { ["type"] = "single", ["test_id"] = "wfnodetest_unknown" } });
        var empty = await CreateWorkflowAsync(("block_empty", Functions.Echo));
        var noTests = await _api.SendAsync("create_workflow_test_run", HttpStatusCode.UnprocessableEntity, new JsonObject { ["workflow_id"] = empty });
        Assert.Equal("no_tests_in_scope", noTests.Json!["detail"]!["code"]!.GetValue<string>());
        await _api.SendAsync("create_workflow_test_run", HttpStatusCode.UnprocessableEntity,
            new JsonObject { ["workflow_id"] = workflowId, ["scope"] = new JsonObject { ["type"] = "tests", ["test_ids"] = new JsonArray() } }, bodyConforms: false);
        await _api.SendAsync("list_workflow_test_results", HttpStatusCode.NotFound, query: "run_id=wftestrun_unknown");
        await _api.SendAsync("list_workflow_test_results", HttpStatusCode.UnprocessableEntity, query: "status=done");
        await _api.SendAsync("get_workflow_test_result", HttpStatusCode.NotFound, path: Path("result_id", "wfnodetestrun_unknown"));
    }

    [Fact]
    public async Task Files_admin_keys_and_health_answer_as_documented()
    {
        var pdf = TestPdfs.WithPages("Invoice 42");
        var sha = FileUploads.Sha256(pdf);
        var session = (await _api.SendAsync("create_upload", HttpStatusCode.OK,
            new JsonObject { ["filename"] = "invoice.pdf", ["size_bytes"] = pdf.Length, ["content_type"] = "application/pdf", ["sha256"] = sha })).Json!;
        var fileId = session["fileId"]!.GetValue<string>();
        using var anonymous = _host.CreateClient();
        using (var put = await FileUploads.PutAsync(anonymous, session["uploadUrl"]!.GetValue<string>(), pdf))
            _api.Check("put_upload_content", put, await put.Content.ReadAsStringAsync());
        using (var forged = await FileUploads.PutAsync(anonymous, session["uploadUrl"]!.GetValue<string>() + "0", pdf))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
            _api.Check("put_upload_content", forged, await forged.Content.ReadAsStringAsync());
        }
        var file = Path("file_id", fileId);
        await _api.SendAsync("complete_upload", HttpStatusCode.OK, new JsonObject { ["sha256"] = sha }, file);
        await _api.SendAsync("complete_upload", HttpStatusCode.UnprocessableEntity, new JsonObject { ["sha256"] = "abc" }, file, bodyConforms: false);
        await _api.SendAsync("get_file", HttpStatusCode.OK, path: file);
        await _api.SendAsync("list_files", HttpStatusCode.OK, query: "limit=10");
        var link = (await _api.SendAsync("get_file_download_link", HttpStatusCode.OK, path: file)).Json!;
        using (var download = await anonymous.GetAsync(link["download_url"]!.GetValue<string>()))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            _api.Check("download_file_content", download, "");
            Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        }
        var pending = (await _api.SendAsync("create_upload", HttpStatusCode.OK, new JsonObject { ["filename"] = "later.txt", ["size_bytes"] = 3 })).Json!;
        await _api.SendAsync("get_file_download_link", HttpStatusCode.Conflict, path: Path("file_id", pending["fileId"]!.GetValue<string>()));
        await _api.SendAsync("complete_upload", HttpStatusCode.Conflict, path: Path("file_id", pending["fileId"]!.GetValue<string>()));
        await _api.SendAsync("get_file", HttpStatusCode.NotFound, path: Path("file_id", "file_unknown"));
        using (var form = new MultipartFormDataContent())
        {
            var part = new ByteArrayContent("hello"u8.ToArray());
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
            form.Add(part, "file", "notes.txt");
            using var uploaded = await _api.Http.PostAsync("/v1/files", form);
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
            _api.Check("upload_file", uploaded, await uploaded.Content.ReadAsStringAsync());
        }

        var admin = _host.CreateClient();
        admin.DefaultRequestHeaders.Add("Admin-Key", StandaloneHost.AdminKey);
        var keys = new ContractClient(_api.Contract, admin);
        var key = (await keys.SendAsync("create_api_key", HttpStatusCode.Created, new JsonObject { ["organization_id"] = "org_c", ["name"] = "ci" })).Json!;
        await keys.SendAsync("list_api_keys", HttpStatusCode.OK, query: "organization_id=org_c");
        await keys.SendAsync("create_api_key", HttpStatusCode.UnprocessableEntity, new JsonObject { ["name"] = new string('n', 300) }, bodyConforms: false);
        await keys.SendAsync("revoke_api_key", HttpStatusCode.NoContent, path: Path("key_id", key["id"]!.GetValue<string>()));
        await keys.SendAsync("revoke_api_key", HttpStatusCode.NotFound, path: Path("key_id", key["id"]!.GetValue<string>()));
        await new ContractClient(_api.Contract, _host.CreateClient()).SendAsync("list_api_keys", HttpStatusCode.Unauthorized);

        foreach (var (operationId, path) in new[] { ("get_liveness", "/health/live"), ("get_readiness", "/health/ready") })
        {
            using var health = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            _api.Check(operationId, health, await health.Content.ReadAsStringAsync());
        }
    }

    /// <summary>The validation above means something: the run's schema refuses a run that is wrong in type, enum or format.</summary>
    private void AssertTheSchemaIsStrict(JsonNode run)
    {
        var schema = _api.Contract["get_workflow_test_run"].Response(200)!["content"]![OpenApiContract.Json]!["schema"]!;
        Assert.Empty(_api.Contract.Problems(schema, run));
        Assert.Empty(_api.Contract.Problems(schema, Changed(run, r => r["field_added_later"] = 1)));
        Assert.NotEmpty(_api.Contract.Problems(schema, Changed(run, r => r["total_tests"] = "1")));
        Assert.NotEmpty(_api.Contract.Problems(schema, Changed(run, r => r["counts"]!["passed"] = 1.5)));
        Assert.NotEmpty(_api.Contract.Problems(schema, Changed(run, r => r["lifecycle"]!["status"] = "done")));
        Assert.NotEmpty(_api.Contract.Problems(schema, Changed(run, r => r["timing"]!["started_at"] = "yesterday")));
        Assert.NotEmpty(_api.Contract.Problems(schema, Changed(run, r => r["trigger"]!["type"] = null)));
        Assert.NotEmpty(_api.Contract.Problems(schema, Changed(run, r => r.AsObject().Remove("freshness"))));

        static JsonNode Changed(JsonNode run, Action<JsonNode> change)
        {
            var copy = run.DeepClone();
            change(copy);
            return copy;
        }
    }

    private async Task<string> CreateWorkflowAsync(params (string Id, string Code)[] blocks)
    {
        var body = new JsonObject { ["name"] = "openapi", ["blocks"] = new JsonArray([.. blocks.Select(b => (JsonNode)FunctionBlock(b.Id, b.Code))]) };
        return (await _api.SendAsync("create_workflow", HttpStatusCode.Created, body)).Id;
    }

    private async Task<JsonNode> WaitForTerminalAsync(string runId)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var run = (await _api.SendAsync("get_workflow_test_run", HttpStatusCode.OK, path: Path("run_id", runId))).Json!;
            RunInvariants.Check(run);
            if (RunInvariants.IsTerminal(run))
                return run;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"Run {runId} did not end: {run.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    private static JsonObject FunctionBlock(string id, string code) => new()
    {
        ["id"] = id,
        ["type"] = "function",
        ["config"] = new JsonObject { ["code"] = code, ["timeout_ms"] = 5000 },
    };

    private static JsonObject TestBody(string workflowId, string path, JsonObject condition, string block = Block) => new()
    {
        ["workflow_id"] = workflowId,
        ["name"] = $"{condition["kind"]} on {path}",
        ["target"] = new JsonObject { ["type"] = "block", ["block_id"] = block },
        ["source"] = Source(new JsonObject { ["i"] = 1 }),
        ["assertion"] = new JsonObject
        {
            ["target"] = new JsonObject { ["output_handle_id"] = "output-json-0", ["path"] = path },
            ["condition"] = condition.DeepClone(),
        },
    };

    private static JsonObject Source(JsonNode data) => new()
    {
        ["type"] = "manual",
        ["handle_inputs"] = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = data } },
    };

    private static Dictionary<string, string> Path(params string[] namesAndValues) =>
        namesAndValues.Chunk(2).ToDictionary(pair => pair[0], pair => pair[1]);
}
