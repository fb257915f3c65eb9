using System.Text;
using System.Text.Json.Nodes;

namespace Retab.Runs.Testing.Hostile;

/// <summary>
/// Requests an attacker or a careless client sends, each of which the service must refuse with a 4xx in the
/// documented error shape: malformed and mistyped bodies on every write route, bodies past every limit, ids of
/// another organization or of nothing, broken query strings, missing and wrong keys, wrong methods and signatures.
/// Built against one organization's real resources (<see cref="HostileTargets"/>) so that refusals come from the
/// service's rules, not from a resource that happens to be missing.
/// </summary>
public static class HostileCorpus
{
    private const string Json = "application/json";

    /// <summary>Every hostile request once (a few hundred), in a fixed order.</summary>
    public static IReadOnlyList<HostileRequest> Build(HostileTargets victim, long maxRequestBytes = 8 * 1024 * 1024)
    {
        var requests = new List<HostileRequest>();
        requests.AddRange(MalformedBodies(victim));
        requests.AddRange(MistypedBodies(victim));
        requests.AddRange(PastTheLimits(victim, maxRequestBytes));
        requests.AddRange(Intrusions(victim));
        requests.AddRange(UnknownAndWeirdIds());
        requests.AddRange(BrokenQueries(victim));
        requests.AddRange(BadCredentials(victim));
        requests.AddRange(WrongMethodsAndSignatures(victim));
        return requests;
    }

    /// <summary>The routes that read a JSON object body, with the victim's ids filled in.</summary>
    private static IEnumerable<(HttpMethod Method, string Path)> JsonRoutes(HostileTargets v) =>
    [
        (HttpMethod.Post, "/v1/workflows"),
        (HttpMethod.Put, $"/v1/workflows/{v.WorkflowId}/draft"),
        (HttpMethod.Patch, $"/v1/workflows/{v.WorkflowId}/blocks/{v.BlockId}"),
        (HttpMethod.Post, "/v1/workflows/tests"),
        (HttpMethod.Patch, $"/v1/workflows/tests/{v.TestId}"),
        (HttpMethod.Post, "/v1/workflows/tests/runs"),
        (HttpMethod.Post, "/v1/files/upload"),
    ];

    private static IEnumerable<HostileRequest> MalformedBodies(HostileTargets v)
    {
        string[] bodies = ["", "   ", "{", "}", "[]", "null", "\"text\"", "123", "true", """{"a":}""", "{'a': 1}", """{"a": 1} trailing""",
            """{"a": NaN}""", "/* comment */ {}", """{"a": 1,}""", """{"a" 1}""", "\uFEFF{\"name\": 1}", """{"a": "unterminated}"""];
        foreach (var (method, path) in JsonRoutes(v))
        {
            foreach (var body in bodies)
                yield return new HostileRequest("malformed-json", method, path, body);
            yield return new HostileRequest("malformed-json", method, path) { RawBody = [0xFF, 0xFE, 0x00, 0x7B, 0x7D] };
            yield return new HostileRequest("malformed-json", method, path, "hello") { ContentType = "text/plain" };
            yield return new HostileRequest("malformed-json", method, path, "a=1&b=2") { ContentType = "application/x-www-form-urlencoded" };
        }
        yield return new HostileRequest("malformed-json", HttpMethod.Post, $"/v1/workflows/tests/runs/{v.RunId}/cancel", "[1]");
        yield return new HostileRequest("malformed-json", HttpMethod.Post, $"/v1/workflows/tests/runs/{v.RunId}/cancel", "{");
    }

    private static IEnumerable<HostileRequest> MistypedBodies(HostileTargets v)
    {
        var test = TestBody(v, new JsonObject { ["i"] = 1 });
        string[] workflows =
        [
            """{"name": 1, "blocks": []}""", """{"name": "x", "blocks": "none"}""", """{"name": "x", "blocks": [1]}""",
            """{"name": "x", "blocks": [{"type": "teleport"}]}""", """{"name": "x", "blocks": [{"type": "function", "config": []}]}""",
            """{"name": "x", "blocks": [{"type": "function", "config": {"code": 5}}]}""", """{"name": "", "blocks": []}""",
            """{"name": "x", "blocks": [], "owner": "root"}""", """{"blocks": []}""", """{"name": "x"}""",
            """{"name": "x", "blocks": [{"id": 7, "type": "function", "config": {"code": "function main(){}"}}]}""",
            """{"name": "x", "blocks": null}""", """{"name": ["x"], "blocks": []}""",
        ];
        foreach (var body in workflows)
            yield return new HostileRequest("mistyped", HttpMethod.Post, "/v1/workflows", body);
        foreach (var body in (string[])["""{"blocks": {}}""", """{"blocks": null}""", "{}", """{"blocks": [{"type": 1}]}""", """{"blocks": [], "name": "x"}"""])
            yield return new HostileRequest("mistyped", HttpMethod.Put, $"/v1/workflows/{v.WorkflowId}/draft", body);
        foreach (var body in (string[])["""{"config": "x"}""", """{"name": 5}""", """{"unknown": 1}""", """{"config": {"code": 1}}"""])
            yield return new HostileRequest("mistyped", HttpMethod.Patch, $"/v1/workflows/{v.WorkflowId}/blocks/{v.BlockId}", body);

        var tests = new List<JsonObject>();
        JsonObject Variant(Action<JsonObject> change)
        {
            var body = test.DeepClone().AsObject();
            change(body);
            return body;
        }
        tests.Add(Variant(b => b.Remove("workflow_id")));
        tests.Add(Variant(b => b["workflow_id"] = 12));
        tests.Add(Variant(b => b["target"] = "block"));
        tests.Add(Variant(b => b["target"] = new JsonObject { ["type"] = "galaxy", ["block_id"] = v.BlockId }));
        tests.Add(Variant(b => b["source"] = new JsonObject { ["type"] = "telepathy" }));
        tests.Add(Variant(b => b["source"]!["handle_inputs"] = new JsonArray()));
        tests.Add(Variant(b => b["source"]!["handle_inputs"]!["input-json-0"] = new JsonObject { ["type"] = "json" }));
        tests.Add(Variant(b => b["source"]!["handle_inputs"]!["input-json-0"] = new JsonObject { ["type"] = "file", ["document"] = new JsonObject { ["id"] = 1 } }));
        tests.Add(Variant(b => b["assertion"]!["condition"] = new JsonObject { ["kind"] = "telepathy" }));
        tests.Add(Variant(b => b["assertion"]!["condition"] = new JsonObject { ["kind"] = "matches_regex", ["pattern"] = "(" }));
        tests.Add(Variant(b => b["assertion"]!["condition"] = new JsonObject { ["kind"] = "json_schema_valid", ["schema"] = "object" }));
        tests.Add(Variant(b => b["assertion"]!["condition"] = new JsonObject { ["kind"] = "json_schema_valid", ["schema"] = ExponentialSchema(24) }));
        tests.Add(Variant(b => b["assertion"]!["condition"] = NestedNot(40)));
        tests.Add(Variant(b => b["assertion"]!["target"] = new JsonObject()));
        tests.Add(Variant(b => b["assertion"] = null));
        tests.Add(Variant(b => b["extra"] = true));
        tests.Add(Variant(b => b["source"] = new JsonObject { ["type"] = "run_step", ["run_id"] = 5 }));
        foreach (var body in tests)
            yield return new HostileRequest("mistyped", HttpMethod.Post, "/v1/workflows/tests", body.ToJsonString());
        foreach (var body in (string[])["""{"assertion": 5}""", """{"name": []}""", """{"source": {"type": "bogus"}}""", """{"workflow_id": "wf_other"}"""])
            yield return new HostileRequest("mistyped", HttpMethod.Patch, $"/v1/workflows/tests/{v.TestId}", body);

        string[] runs =
        [
            """{"workflow_id": 5}""", """{}""", $$$"""{"workflow_id": "{{{v.WorkflowId}}}", "scope": "all"}""",
            $$$"""{"workflow_id": "{{{v.WorkflowId}}}", "scope": {"type": "galaxy"}}""", $$$"""{"workflow_id": "{{{v.WorkflowId}}}", "scope": {"type": "block"}}""",
            $$$"""{"workflow_id": "{{{v.WorkflowId}}}", "scope": {"type": "single"}}""", $$$"""{"workflow_id": "{{{v.WorkflowId}}}", "priority": 1}""",
            $$$"""{"workflow_id": "{{{v.WorkflowId}}}", "scope": {"type": "block", "block_id": "block_nowhere"}}""",
            $$$"""{"workflow_id": "{{{v.WorkflowId}}}", "scope": {"type": "single", "test_id": "wfnodetest_nowhere000000000000"}}""",
        ];
        foreach (var body in runs)
            yield return new HostileRequest("mistyped", HttpMethod.Post, "/v1/workflows/tests/runs", body);
        foreach (var body in (string[])["""{"reason": 5}""", """{"bogus": 1}"""])
            yield return new HostileRequest("mistyped", HttpMethod.Post, $"/v1/workflows/tests/runs/{v.RunId}/cancel", body);

        string[] uploads =
        [
            """{"filename": 1, "size_bytes": 1}""", """{"filename": "a.pdf", "size_bytes": -1}""", """{"filename": "a.pdf", "size_bytes": "10"}""",
            """{"filename": "a.pdf", "size_bytes": 1e30}""", """{"filename": "a.pdf", "size_bytes": 10, "sha256": "xyz"}""", """{"size_bytes": 10}""",
            """{"filename": "a.pdf", "size_bytes": 999999999999}""", """{"filename": "a.pdf", "size_bytes": 1.5}""",
        ];
        foreach (var body in uploads)
            yield return new HostileRequest("mistyped", HttpMethod.Post, "/v1/files/upload", body);
        yield return new HostileRequest("mistyped", HttpMethod.Post, "/v1/files", "not a form") { ContentType = "text/plain" };
    }

    private static IEnumerable<HostileRequest> PastTheLimits(HostileTargets v, long maxRequestBytes)
    {
        var deepData = new[] { 60, 129, 5000 };
        foreach (var depth in deepData)
        {
            var nested = new string('[', depth) + new string(']', depth);
            yield return new HostileRequest("limits", HttpMethod.Post, "/v1/workflows/tests", TestBodyWithRawData(v, nested));
            yield return new HostileRequest("limits", HttpMethod.Post, "/v1/workflows",
                "{\"name\": \"deep\", \"blocks\": [{\"type\": \"function\", \"config\": {\"code\": \"function main(){}\", \"x\": " + nested + "}}]}");
            yield return new HostileRequest("limits", HttpMethod.Patch, $"/v1/workflows/tests/{v.TestId}",
                "{\"assertion\": {\"target\": {\"output_handle_id\": \"output-json-0\"}, \"condition\": {\"kind\": \"equals\", \"expected\": " + nested + "}}}");
        }
        var longText = new string('n', 1024 * 1024 + 1);
        yield return new HostileRequest("limits", HttpMethod.Post, "/v1/workflows", $$$"""{"name": "{{{longText}}}", "blocks": []}""");
        yield return new HostileRequest("limits", HttpMethod.Patch, $"/v1/workflows/tests/{v.TestId}", $$$"""{"name": "{{{longText}}}"}""");
        yield return new HostileRequest("limits", HttpMethod.Post, "/v1/workflows/tests", TestBodyWithRawData(v, $$$"""{"key{{{longText}}}": 1}"""));
        // A test input past MaxTestInputBytes (2 MiB) in strings each under the string limit.
        var bigInput = "[" + string.Join(",", Enumerable.Repeat("\"" + new string('i', 600_000) + "\"", 4)) + "]";
        yield return new HostileRequest("limits", HttpMethod.Post, "/v1/workflows/tests", TestBodyWithRawData(v, bigInput));
        // Bodies past MaxRequestBytes, announced and not.
        var huge = "{\"name\": \"" + new string('h', (int)Math.Min(maxRequestBytes + 1024, int.MaxValue / 4)) + "\", \"blocks\": []}";
        yield return new HostileRequest("limits", HttpMethod.Post, "/v1/workflows", huge);
        yield return new HostileRequest("limits", HttpMethod.Post, "/v1/workflows/tests/runs", huge);
        yield return new HostileRequest("limits", HttpMethod.Post, "/v1/workflows", huge) { Headers = new Dictionary<string, string> { ["Idempotency-Key"] = "huge-body" } };

        string[] surrogates = ["a\\ud800b", "\\udc00", "x\\ud83d", "\\udbff\\udbff"];
        foreach (var broken in surrogates)
        {
            yield return new HostileRequest("limits", HttpMethod.Post, "/v1/workflows", $$$"""{"name": "{{{broken}}}", "blocks": []}""");
            yield return new HostileRequest("limits", HttpMethod.Post, "/v1/workflows/tests", TestBodyWithRawData(v, $$$"""{"note": "{{{broken}}}"}"""));
            yield return new HostileRequest("limits", HttpMethod.Post, "/v1/workflows/tests", TestBodyWithRawData(v, $$$"""{"{{{broken}}}": 1}"""));
            yield return new HostileRequest("limits", HttpMethod.Patch, $"/v1/workflows/tests/{v.TestId}", $$$"""{"name": "{{{broken}}}"}""");
            yield return new HostileRequest("limits", HttpMethod.Put, $"/v1/workflows/{v.WorkflowId}/draft", $$$"""{"blocks": [{"type": "function", "name": "{{{broken}}}", "config": {"code": "function main(){}"}}]}""");
            yield return new HostileRequest("limits", HttpMethod.Post, $"/v1/workflows/tests/runs/{v.RunId}/cancel", $$$"""{"reason": "{{{broken}}}"}""");
            yield return new HostileRequest("limits", HttpMethod.Post, "/v1/files/upload", $$$"""{"filename": "{{{broken}}}.pdf", "size_bytes": 10}""");
        }
        yield return new HostileRequest("limits", HttpMethod.Post, "/v1/workflows", """{"name": "x", "blocks": []}""")
        {
            Headers = new Dictionary<string, string> { ["Idempotency-Key"] = new string('k', 300) },
        };
    }

    /// <summary>The victim's ids presented with another organization's key: each must look exactly like an id that does not exist.</summary>
    private static IEnumerable<HostileRequest> Intrusions(HostileTargets v)
    {
        (HttpMethod Method, string Template, string? Body, string VictimId, string Prefix)[] probes =
        [
            (HttpMethod.Get, "/v1/workflows/{id}", null, v.WorkflowId, "wf_"),
            (HttpMethod.Delete, "/v1/workflows/{id}", null, v.WorkflowId, "wf_"),
            (HttpMethod.Put, "/v1/workflows/{id}/draft", """{"blocks": []}""", v.WorkflowId, "wf_"),
            (HttpMethod.Patch, "/v1/workflows/{id}/blocks/" + v.BlockId, """{"name": "pwned"}""", v.WorkflowId, "wf_"),
            (HttpMethod.Get, "/v1/workflows/tests/{id}", null, v.TestId, "wfnodetest_"),
            (HttpMethod.Patch, "/v1/workflows/tests/{id}", """{"name": "pwned"}""", v.TestId, "wfnodetest_"),
            (HttpMethod.Delete, "/v1/workflows/tests/{id}", null, v.TestId, "wfnodetest_"),
            (HttpMethod.Get, "/v1/workflows/tests/runs/{id}", null, v.RunId, "wftestrun_"),
            (HttpMethod.Post, "/v1/workflows/tests/runs/{id}/cancel", null, v.RunId, "wftestrun_"),
            (HttpMethod.Get, "/v1/workflows/tests/runs/{id}/results/" + v.TestId, null, v.RunId, "wftestrun_"),
            (HttpMethod.Get, "/v1/workflows/tests/runs/" + v.RunId + "/results/{id}", null, v.TestId, "wfnodetest_"),
            (HttpMethod.Get, "/v1/workflows/tests/results/{id}", null, v.ResultId, "wfnodetestrun_"),
            (HttpMethod.Get, "/v1/files/{id}", null, v.FileId, "file_"),
            (HttpMethod.Get, "/v1/files/{id}/download-link", null, v.FileId, "file_"),
            (HttpMethod.Post, "/v1/files/upload/{id}/complete", "{}", v.FileId, "file_"),
            (HttpMethod.Post, "/v1/workflows/tests/runs", """{"workflow_id": "{id}"}""", v.WorkflowId, "wf_"),
            (HttpMethod.Post, "/v1/workflows/tests", null, v.WorkflowId, "wf_"),
        ];
        foreach (var (method, template, body, victimId, prefix) in probes)
        {
            var ghost = prefix + "ghost" + new string('0', Math.Max(0, victimId.Length - prefix.Length - 5));
            var requestBody = template == "/v1/workflows/tests" && body is null
                ? TestBody(v with { WorkflowId = "{id}" }, new JsonObject { ["i"] = 1 }).ToJsonString()
                : body;
            yield return new HostileRequest("intrusion", method, template.Replace("{id}", victimId), requestBody?.Replace("{id}", victimId), Caller.Intruder)
            {
                GhostOf = (victimId, ghost),
            };
        }
    }

    private static IEnumerable<HostileRequest> UnknownAndWeirdIds()
    {
        string[] ids = ["wf_doesnotexist00000000000", "..%2F..%2Fetc%2Fpasswd", "wf_%E2%80%AE", "*", "%24gt", "wf_'%20OR%20'1'='1",
            new string('w', 2000), "wftestrun_" + new string('9', 40), "%F0%9F%92%A9", "null", "undefined", "-1", "0x00"];
        foreach (var id in ids)
        {
            yield return new HostileRequest("unknown-id", HttpMethod.Get, $"/v1/workflows/{id}");
            yield return new HostileRequest("unknown-id", HttpMethod.Get, $"/v1/workflows/tests/{id}");
            yield return new HostileRequest("unknown-id", HttpMethod.Get, $"/v1/workflows/tests/runs/{id}");
            yield return new HostileRequest("unknown-id", HttpMethod.Get, $"/v1/workflows/tests/results/{id}");
            yield return new HostileRequest("unknown-id", HttpMethod.Get, $"/v1/files/{id}");
            yield return new HostileRequest("unknown-id", HttpMethod.Delete, $"/v1/workflows/{id}");
        }
    }

    private static IEnumerable<HostileRequest> BrokenQueries(HostileTargets v)
    {
        string[] lists = ["/v1/workflows", $"/v1/workflows/tests?workflow_id={v.WorkflowId}&", "/v1/workflows/tests/runs", $"/v1/workflows/tests/results?run_id={v.RunId}&", "/v1/files"];
        string[] queries = ["limit=0", "limit=-1", "limit=101", "limit=abc", "limit=1e9", "limit=99999999999999999999", "before=a&after=b", "order=sideways"];
        foreach (var list in lists)
        {
            var separator = list.EndsWith('&') ? "" : "?";
            foreach (var query in queries)
                yield return new HostileRequest("query", HttpMethod.Get, list + separator + query);
        }
        string[] runFilters = ["status=queued,running", "status=1", "status=done", "exclude_status=completed,error", "from_date=yesterday", "to_date=2026-13-45"];
        foreach (var filter in runFilters)
            yield return new HostileRequest("query", HttpMethod.Get, "/v1/workflows/tests/runs?" + filter);
        foreach (var filter in (string[])["status=completed,error", "verdict=maybe", "verdict=0"])
            yield return new HostileRequest("query", HttpMethod.Get, $"/v1/workflows/tests/results?run_id={v.RunId}&{filter}");
        yield return new HostileRequest("query", HttpMethod.Get, "/v1/workflows/tests");
    }

    private static IEnumerable<HostileRequest> BadCredentials(HostileTargets v)
    {
        (HttpMethod, string)[] routes =
        [
            (HttpMethod.Get, "/v1/workflows"), (HttpMethod.Post, "/v1/workflows"), (HttpMethod.Get, $"/v1/workflows/{v.WorkflowId}"),
            (HttpMethod.Get, "/v1/workflows/tests/runs"), (HttpMethod.Post, "/v1/workflows/tests/runs"), (HttpMethod.Get, $"/v1/workflows/tests/runs/{v.RunId}"),
            (HttpMethod.Get, $"/v1/workflows/tests/results/{v.ResultId}"), (HttpMethod.Post, "/v1/files/upload"), (HttpMethod.Get, $"/v1/files/{v.FileId}"),
        ];
        foreach (var (method, path) in routes)
        {
            var body = method == HttpMethod.Get ? null : """{"name": "x", "blocks": []}""";
            yield return new HostileRequest("auth", method, path, body, Caller.Anonymous);
            yield return new HostileRequest("auth", method, path, body, Caller.Invalid);
            yield return new HostileRequest("auth", method, path, body, Caller.Anonymous) { Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " } };
            yield return new HostileRequest("auth", method, path, body, Caller.Anonymous) { Headers = new Dictionary<string, string> { ["Authorization"] = "Basic dXNlcjpwYXNz" } };
            yield return new HostileRequest("auth", method, path, body, Caller.Anonymous) { Headers = new Dictionary<string, string> { ["Api-Key"] = new string('k', 4000) } };
        }
    }

    private static IEnumerable<HostileRequest> WrongMethodsAndSignatures(HostileTargets v)
    {
        yield return new HostileRequest("method", HttpMethod.Put, "/v1/workflows", "{}");
        yield return new HostileRequest("method", HttpMethod.Delete, $"/v1/workflows/tests/runs/{v.RunId}");
        yield return new HostileRequest("method", HttpMethod.Patch, $"/v1/files/{v.FileId}", "{}");
        yield return new HostileRequest("method", HttpMethod.Post, $"/v1/workflows/{v.WorkflowId}", "{}");
        yield return new HostileRequest("method", HttpMethod.Get, "/v1/nowhere");
        yield return new HostileRequest("method", HttpMethod.Get, "/v1/workflows/tests/runs/x/y/z");
        var future = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        string[] signatures = ["", "?expires=1&sig=abc", $"?expires={future}&sig=AAAA", $"?expires={future}", "?sig=" + new string('a', 64)];
        foreach (var signature in signatures)
        {
            yield return new HostileRequest("signature", HttpMethod.Put, $"/v1/files/upload/{v.FileId}/content{signature}", "bytes", Caller.Anonymous) { ContentType = "application/octet-stream" };
            yield return new HostileRequest("signature", HttpMethod.Get, $"/v1/files/{v.FileId}/content{signature}", null, Caller.Anonymous);
        }
    }

    /// <summary>A valid test body for the victim's block, with <paramref name="data"/> as input.</summary>
    public static JsonObject TestBody(HostileTargets v, JsonNode? data) => new()
    {
        ["workflow_id"] = v.WorkflowId,
        ["target"] = new JsonObject { ["type"] = "block", ["block_id"] = v.BlockId },
        ["source"] = new JsonObject
        {
            ["type"] = "manual",
            ["handle_inputs"] = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = data } },
        },
        ["assertion"] = new JsonObject
        {
            ["target"] = new JsonObject { ["output_handle_id"] = "output-json-0", ["path"] = "v" },
            ["condition"] = new JsonObject { ["kind"] = "equals", ["expected"] = 1 },
        },
    };

    private static string TestBodyWithRawData(HostileTargets v, string rawData)
    {
        const string marker = "\"__raw_data__\"";
        return TestBody(v, "__raw_data__").ToJsonString().Replace(marker, rawData);
    }

    private static JsonObject ExponentialSchema(int levels)
    {
        var defs = new JsonObject();
        for (var level = 0; level < levels; level++)
        {
            var next = new JsonObject { ["$ref"] = $"#/$defs/l{level + 1}" };
            defs[$"l{level}"] = level == levels - 1
                ? new JsonObject { ["type"] = "object" }
                : new JsonObject { ["allOf"] = new JsonArray(next, next.DeepClone()) };
        }
        return new JsonObject { ["$defs"] = defs, ["$ref"] = "#/$defs/l0" };
    }

    private static JsonObject NestedNot(int depth)
    {
        var condition = new JsonObject { ["kind"] = "exists" };
        for (var i = 0; i < depth; i++)
            condition = new JsonObject { ["kind"] = "not", ["condition"] = condition };
        return condition;
    }

    /// <summary>The corpus repeated and cut to <paramref name="count"/> requests, for load (the memory measurement).</summary>
    public static IEnumerable<HostileRequest> Cycle(IReadOnlyList<HostileRequest> corpus, int count) =>
        Enumerable.Range(0, count).Select(i => corpus[i % corpus.Count]);

    internal static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
