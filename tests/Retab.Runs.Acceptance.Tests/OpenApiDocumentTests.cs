using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Retab.Runs.Core.Assertions;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// The OpenAPI document describes every route the host maps — found at runtime, not from a list — with its operation
/// id, parameters, body, errors and security, in exact types; and the reference page is served.
/// </summary>
public sealed class OpenApiDocumentTests(OpenApiDocumentTests.Host host) : IClassFixture<OpenApiDocumentTests.Host>
{
    /// <summary>A standalone host with the admin routes mapped, and its document.</summary>
    public sealed class Host : IAsyncLifetime
    {
        public StandaloneHost Standalone { get; } = new(settings: new Dictionary<string, string?> { ["Auth:AdminKey"] = StandaloneHost.AdminKey });

        public OpenApiContract Contract { get; private set; } = null!;

        public async Task InitializeAsync() => Contract = await OpenApiContract.LoadAsync(Standalone.CreateClient());

        public Task DisposeAsync()
        {
            Standalone.Dispose();
            return Task.CompletedTask;
        }
    }

    private static readonly string[] DocumentationRoutes = ["/openapi/", "/reference"];

    /// <summary>The browser dashboard's page and files: public pages, not API operations.</summary>
    private static readonly string[] DashboardRoutes = ["/", "/dashboard/{file}"];

    /// <summary>The Prometheus scrape endpoint (when <c>Metrics:Prometheus</c> is on): an operator's, not an API operation.</summary>
    private static readonly string[] OperatorRoutes = ["/metrics"];

    private static readonly string[] PublicOperations = ["put_upload_content", "download_file_content", "get_liveness", "get_readiness"];

    private OpenApiContract Contract => host.Contract;

    [Fact]
    public void Every_mapped_route_is_an_operation_with_its_path_parameters()
    {
        var routes = MappedRoutes().ToList();
        Assert.True(routes.Count >= 30, $"Only {routes.Count} routes found.");
        foreach (var (method, path, endpoint) in routes)
        {
            var operation = Contract.Operations.SingleOrDefault(o => o.Method == method && o.Path == path);
            Assert.True(operation is not null, $"{method} {path} ({endpoint.DisplayName}) is mapped but not in the document.");
            var documented = operation!.Parameters("path").Select(p => p["name"]!.GetValue<string>()).Order();
            Assert.Equal(endpoint.RoutePattern.Parameters.Select(p => p.Name).Order(), documented);
            Assert.All(operation.Parameters("path"), p => Assert.True(p["required"]!.GetValue<bool>()));
        }
        // And nothing is documented that is not served.
        Assert.Equal(routes.Count, Contract.Operations.Count());
    }

    [Fact]
    public void Every_operation_has_a_retab_style_operation_id_errors_and_security()
    {
        var ids = Contract.Operations.Select(o => o.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var operation in Contract.Operations)
        {
            Assert.Matches("^[a-z]+(_[a-z0-9]+)+$", operation.Id);
            var security = operation.Node["security"]?.AsArray() ?? Contract.Document["security"]!.AsArray();
            if (PublicOperations.Contains(operation.Id))
            {
                Assert.Empty(security);
                continue;
            }
            Assert.NotEmpty(security);
            var statuses = operation.Node["responses"]!.AsObject().Select(r => int.Parse(r.Key)).ToList();
            Assert.Contains(StatusCodes.Status401Unauthorized, statuses);
            Assert.Contains(statuses, s => s is >= 400 and < 500 and not 401 and not 429);
            foreach (var error in operation.Node["responses"]!.AsObject().Where(r => r.Key.StartsWith('4')))
            {
                var schema = error.Value!["content"]![OpenApiContract.Json]!["schema"]!;
                var shapes = (schema["oneOf"]?.AsArray().Select(s => s!["$ref"]!.GetValue<string>()) ?? [schema["$ref"]!.GetValue<string>()]).ToList();
                Assert.All(shapes, s => Assert.Contains(s, new[] { "#/components/schemas/ErrorBody", "#/components/schemas/HTTPValidationError" }));
            }
        }
        Assert.Subset(ids.ToHashSet(), new HashSet<string>
        {
            "create_workflow_test", "list_workflow_tests", "get_workflow_test", "update_workflow_test", "delete_workflow_test",
            "create_workflow_test_run", "list_workflow_test_runs", "get_workflow_test_run", "cancel_workflow_test_run",
            "list_workflow_test_results", "get_workflow_test_result",
        });
    }

    [Fact]
    public void Every_write_operation_documents_its_body_and_the_api_key_schemes_guard_v1()
    {
        foreach (var operation in Contract.Operations.Where(o => o.Method is "POST" or "PUT" or "PATCH"))
        {
            var content = operation.Node["requestBody"]?["content"]?.AsObject();
            Assert.True(content is { Count: > 0 }, $"{operation} documents no request body.");
            var (mediaType, media) = content!.Single();
            Assert.NotNull(media!["schema"]);
            if (mediaType == OpenApiContract.Json)
                Assert.Contains(StatusCodes.Status422UnprocessableEntity.ToString(), operation.Node["responses"]!.AsObject().Select(r => r.Key));
        }

        var schemes = Contract.Document["components"]!["securitySchemes"]!;
        Assert.Equal("apiKey", schemes["ApiKey"]!["type"]!.GetValue<string>());
        Assert.Equal("header", schemes["ApiKey"]!["in"]!.GetValue<string>());
        Assert.Equal("Api-Key", schemes["ApiKey"]!["name"]!.GetValue<string>());
        Assert.Equal("http", schemes["Bearer"]!["type"]!.GetValue<string>());
        Assert.Equal("bearer", schemes["Bearer"]!["scheme"]!.GetValue<string>());
        Assert.Equal("Admin-Key", schemes["AdminKey"]!["name"]!.GetValue<string>());
        Assert.Equal(["ApiKey", "Bearer"], Contract.Document["security"]!.AsArray().Select(r => r!.AsObject().Single().Key));
        Assert.All(Contract.Operations.Where(o => o.Path.StartsWith("/admin/")), o =>
            Assert.Equal(["AdminKey", "AdminBearer"], o.Node["security"]!.AsArray().Select(r => r!.AsObject().Single().Key)));
        Assert.All(Contract.Operations.Where(o => o.Method == "POST" && o.Path.StartsWith("/v1/")), o =>
            Assert.Contains(o.Parameters("header"), p => p["name"]!.GetValue<string>() == "Idempotency-Key"));

        Assert.Equal("Retab Runs API", Contract.Document["info"]!["title"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(Contract.Document["info"]!["version"]?.GetValue<string>()));
    }

    /// <summary>The filters of DESIGN §3.1, §3.3–3.5 (the spec, not the implementation's list), and which are required.</summary>
    public static TheoryData<string, string[], string[]> QueryParametersOfLists => new()
    {
        { "list_workflows", ["limit", "before", "after", "order"], [] },
        { "list_workflow_tests", ["workflow_id", "target_block_id", "flaky", "limit", "before", "after", "order"], ["workflow_id"] },
        { "list_workflow_test_runs", ["workflow_id", "test_id", "target_block_id", "status", "exclude_status", "trigger_type", "from_date", "to_date", "limit", "before", "after", "order"], [] },
        { "list_workflow_test_results", ["run_id", "status", "verdict", "limit", "before", "after", "order"], ["run_id"] },
        { "list_files", ["limit", "before", "after", "order"], [] },
    };

    [Theory]
    [MemberData(nameof(QueryParametersOfLists))]
    public void Lists_document_their_filters_and_pagination(string operationId, string[] expected, string[] required)
    {
        var parameters = Contract[operationId].Parameters("query").ToDictionary(p => p["name"]!.GetValue<string>());
        Assert.Equal(expected.Order(), parameters.Keys.Order());
        Assert.Equal(required.Order(), parameters.Where(p => p.Value["required"]?.GetValue<bool>() == true).Select(p => p.Key).Order());
        Assert.All(parameters.Values, p => Assert.False(string.IsNullOrWhiteSpace(p["description"]?.GetValue<string>()), p.ToJsonString()));
        Assert.All(parameters.Values, p => Assert.NotNull(p["schema"]!["type"]));
        var limit = parameters["limit"]["schema"]!;
        Assert.Equal("integer", limit["type"]!.GetValue<string>());
        Assert.Equal(1, limit["minimum"]!.GetValue<int>());
        Assert.Equal(100, limit["maximum"]!.GetValue<int>());
        Assert.Equal(["asc", "desc"], Values(parameters["order"]["schema"]!));
    }

    [Fact]
    public void Counts_are_integers_and_no_field_is_typed_integer_or_string()
    {
        foreach (var (location, schema) in AllSchemas(Contract.Document, "#"))
        {
            var types = schema["type"] is JsonArray array ? array.Select(t => t!.GetValue<string>()).ToList() : [];
            Assert.False(types.Contains("integer") && types.Contains("string"), $"{location} is typed {schema.ToJsonString()}");
            Assert.False(types.Contains("number") && types.Contains("string"), $"{location} is typed {schema.ToJsonString()}");
        }
        var counts = Contract.Component("CountsResponse")["properties"]!.AsObject();
        Assert.All(counts.Where(c => c.Value!["type"] is not null), c => Assert.Equal("integer", c.Value!["type"]!.GetValue<string>()));
        Assert.Equal("integer", Contract.Component("RunResponse")["properties"]!["total_tests"]!["type"]!.GetValue<string>());
        Assert.Equal(["null", "string"], Contract.Component("TimingResponse")["properties"]!["completed_at"]!["type"]!.AsArray().Select(t => t!.GetValue<string>()).Order());
        Assert.Equal("date-time", Contract.Component("TimingResponse")["properties"]!["created_at"]!["format"]!.GetValue<string>());
    }

    [Fact]
    public void Statuses_verdicts_triggers_scopes_and_condition_kinds_are_enums()
    {
        var lifecycle = new[] { "pending", "queued", "running", "completed", "error", "cancelled" };
        Assert.Equal(lifecycle, Values(Property("LifecycleResponse", "status")));
        Assert.Equal(lifecycle, Values(Property("RunSummaryResponse", "status")));
        Assert.Equal(["passed", "failed", "blocked", null], Values(Property("ResultResponse", "verdict")));
        Assert.Equal(["workflow", "block", "single", "rerun"], Values(Property("ScopeResponse", "type")));
        Assert.Contains("api", Values(Property("TriggerResponse", "type")));
        Assert.Equal(["fresh", "stale", "unknown"], Values(Property("FreshnessResponse", "status")));
        Assert.Equal(lifecycle, Values(Contract["list_workflow_test_runs"].Parameters("query").Single(p => p["name"]!.GetValue<string>() == "status")["schema"]!));
        Assert.Equal(["passed", "failed", "blocked"], Values(Contract["list_workflow_test_results"].Parameters("query").Single(p => p["name"]!.GetValue<string>() == "verdict")["schema"]!));

        // The condition union: one case per kind, each under Retab's SDK name, fixing its own kind.
        var condition = Property("AssertionSpec", "condition");
        Assert.Equal("kind", condition["discriminator"]!["propertyName"]!.GetValue<string>());
        var mapping = condition["discriminator"]!["mapping"]!.AsObject();
        Assert.Equal(ConditionKinds.All.Order(), mapping.Select(m => m.Key).Order());
        foreach (var (kind, reference) in mapping)
        {
            var name = reference!.GetValue<string>().Split('/')[^1];
            Assert.EndsWith("Condition", name);
            Assert.Equal([kind], Values(Contract.Component(name)["properties"]!["kind"]!));
        }
        Assert.Equal(["ExistCondition", "EqualCondition", "MatcheRegexCondition", "SplitIouCondition", "StartWithCondition"],
            new[] { "exists", "equals", "matches_regex", "split_iou_gte", "starts_with" }.Select(k => mapping[k]!.GetValue<string>().Split('/')[^1]));
        Assert.Equal(["workflow", "block", "single", "rerun"], Property("CreateWorkflowTestRunRequest", "scope")["oneOf"]![1]!["discriminator"]!["mapping"]!.AsObject().Select(m => m.Key));
        Assert.Equal(["manual", "run_step"], Property("CreateWorkflowTestRequest", "source")["discriminator"]!["mapping"]!.AsObject().Select(m => m.Key));
    }

    [Fact]
    public void Request_bodies_carry_retab_sdk_names()
    {
        string[] names =
        [
            "CreateWorkflowTestRequest", "UpdateWorkflowTestRequest", "AssertionSpec", "OutputTarget", "ManualWorkflowTestSource",
            "RunStepWorkflowTestSource", "WorkflowTestBlockTarget", "CreateWorkflowTestRunRequest", "WorkflowTestRunWorkflowScope",
            "WorkflowTestRunBlockScope", "WorkflowTestRunSingleScope", "JsonHandleInput", "FileHandleInput",
        ];
        Assert.All(names, name => Contract.Component(name));
        Assert.Equal("#/components/schemas/CreateWorkflowTestRequest", Contract["create_workflow_test"].RequestSchema()!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/UpdateWorkflowTestRequest", Contract["update_workflow_test"].RequestSchema()!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/CreateWorkflowTestRunRequest", Contract["create_workflow_test_run"].RequestSchema()!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_reference_page_is_served_from_the_host()
    {
        using var http = host.Standalone.CreateClient();
        using var page = await http.GetAsync("/reference");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Retab Runs API", html);
        Assert.Contains("openapi/v1.json", html);
        // Its script comes from the host itself, not a CDN.
        using var script = await http.GetAsync(new Uri(page.RequestMessage!.RequestUri!, "scalar.js"));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    private JsonNode Property(string component, string property) => Contract.Component(component)["properties"]![property]!;

    private static List<string?> Values(JsonNode schema) => [.. schema["enum"]!.AsArray().Select(v => v?.GetValue<string>())];

    /// <summary>The routes the host maps, as the document writes them: method and path without a trailing slash.</summary>
    private IEnumerable<(string Method, string Path, RouteEndpoint Endpoint)> MappedRoutes()
    {
        var endpoints = host.Standalone.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            var raw = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            if (DocumentationRoutes.Any(raw.StartsWith) || DashboardRoutes.Contains(raw) || OperatorRoutes.Contains(raw))
                continue;
            // Health checks answer any method; GET is what probes send.
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
                yield return (method, raw, endpoint);
        }
    }

    private static IEnumerable<(string Location, JsonObject Schema)> AllSchemas(JsonNode? node, string location)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"] is not null || obj["$ref"] is not null || obj["enum"] is not null)
                    yield return (location, obj);
                foreach (var (key, child) in obj)
                    foreach (var found in AllSchemas(child, $"{location}/{key}"))
                        yield return found;
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                    foreach (var found in AllSchemas(array[i], $"{location}/{i}"))
                        yield return found;
                break;
        }
    }
}
