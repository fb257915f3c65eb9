using System.Net;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// The query parameters the document declares are the ones the API enforces: every documented value of an enum is
/// accepted and any other is a 422 naming the parameter, integers hold their bounds, and a required parameter left
/// out is a 422. Read from the document, so a parameter added there is checked here.
/// </summary>
public sealed class OpenApiQueryParameterTests : IAsyncLifetime
{
    /// <summary>Filters the API matches as given: their enum lists the known values, and another value finds nothing rather than failing.</summary>
    private static readonly string[] OpenFilters = ["trigger_type"];

    // Loopback webhook targets allowed, so the webhook fixture needs no name resolution (it points at a closed port).
    private readonly StandaloneHost _host = new(settings: new Dictionary<string, string?> { ["Webhooks:AllowPrivateTargets"] = "true" });
    private ContractClient _api = null!;
    private Dictionary<string, string> _fixtures = null!;

    public async Task InitializeAsync()
    {
        var http = _host.CreateClient();
        http.DefaultRequestHeaders.Add("Api-Key", StandaloneHost.KeyA);
        _api = new ContractClient(await OpenApiContract.LoadAsync(http), http);
        var api = new ApiClient(http);
        var workflowId = await api.CreateWorkflowAsync(("block_echo", Functions.Echo));
        await api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = 1 }, "v", Functions.Condition("equals", 1));
        var runId = await api.StartRunAsync(workflowId);
        await api.WaitForTerminalAsync(runId);
        var webhook = await api.PostAsync("/v1/webhooks", new JsonObject { ["url"] = "http://127.0.0.1:9/hooks", ["events"] = new JsonArray("test_run.completed") });
        _fixtures = new() { ["workflow_id"] = workflowId, ["run_id"] = runId, ["webhook_id"] = webhook.ShouldBe(HttpStatusCode.Created).Id };
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Documented_query_constraints_are_the_enforced_ones()
    {
        // The API-key routes; the signed URLs' parameters are checked by their signature.
        var lists = _api.Contract.Operations
            .Where(o => o.Method == "GET" && o.Path.StartsWith("/v1/") && o.Node["security"] is not JsonArray { Count: 0 } && o.Parameters("query").Any())
            .ToList();
        Assert.True(lists.Count >= 5, string.Join(", ", lists));
        foreach (var operation in lists)
        {
            var parameters = operation.Parameters("query").ToList();
            var required = parameters.Where(p => p["required"]?.GetValue<bool>() == true).Select(p => p["name"]!.GetValue<string>()).ToList();
            // The required parameters with real values, one of them left out, and one parameter set (or replaced).
            string Query(string? name = null, string? value = null, string? without = null) => string.Join("&",
                required.Where(r => r != name && r != without).Select(r => $"{r}={Uri.EscapeDataString(_fixtures[r])}")
                    .Concat(name is null ? [] : [$"{name}={Uri.EscapeDataString(value!)}"]));

            await _api.SendAsync(operation.Id, HttpStatusCode.OK, path: _fixtures, query: Query());
            foreach (var name in required)
                AssertNames(await _api.SendAsync(operation.Id, HttpStatusCode.UnprocessableEntity, path: _fixtures, query: Query(without: name)), name);

            foreach (var parameter in parameters)
            {
                var name = parameter["name"]!.GetValue<string>();
                var schema = parameter["schema"]!;
                if (schema["enum"] is JsonArray values)
                {
                    foreach (var value in values.Select(v => v!.GetValue<string>()))
                        await _api.SendAsync(operation.Id, HttpStatusCode.OK, path: _fixtures, query: Query(name, value));
                    if (!OpenFilters.Contains(name))
                        AssertNames(await _api.SendAsync(operation.Id, HttpStatusCode.UnprocessableEntity, path: _fixtures, query: Query(name, "not_a_value")), name);
                }
                if (schema["type"]?.ToJsonString().Contains("boolean") == true)
                {
                    foreach (var value in new[] { "true", "false" })
                        await _api.SendAsync(operation.Id, HttpStatusCode.OK, path: _fixtures, query: Query(name, value));
                    AssertNames(await _api.SendAsync(operation.Id, HttpStatusCode.UnprocessableEntity, path: _fixtures, query: Query(name, "not_a_value")), name);
                }
                if (schema["minimum"] is { } minimum)
                {
                    await _api.SendAsync(operation.Id, HttpStatusCode.OK, path: _fixtures, query: Query(name, minimum.ToJsonString()));
                    AssertNames(await _api.SendAsync(operation.Id, HttpStatusCode.UnprocessableEntity, path: _fixtures, query: Query(name, (minimum.GetValue<int>() - 1).ToString())), name);
                }
                if (schema["maximum"] is { } maximum)
                {
                    await _api.SendAsync(operation.Id, HttpStatusCode.OK, path: _fixtures, query: Query(name, maximum.ToJsonString()));
                    AssertNames(await _api.SendAsync(operation.Id, HttpStatusCode.UnprocessableEntity, path: _fixtures, query: Query(name, (maximum.GetValue<int>() + 1).ToString())), name);
                }
            }
        }
    }

    private static void AssertNames(ApiClient.Response rejected, string parameter) =>
        Assert.Contains(rejected.Json!["detail"]!.AsArray(), e => e!["loc"]!.AsArray().Select(l => l!.ToString()).SequenceEqual(["query", parameter]));
}
