using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Retab.Runs.Contracts;
using Retab.Runs.Testing.Scenarios;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// The rerun scope: a run of one workflow whose tests pass, fail, block and end in error (an extract block whose model
/// server does not answer), rerun with each <c>only</c> mode, selects exactly those tests again.
/// </summary>
public sealed class RerunTests : IAsyncLifetime
{
    private const string Sleepy = "function main(input) { var end = Date.now() + 1500; while (Date.now() < end) {} return { total: 1 }; }";

    private readonly StandaloneHost _host = new(settings: new Dictionary<string, string?>
    {
        // Nothing listens there: the extract test ends in error (model_unavailable) at once.
        ["Models:BaseUrl"] = "http://127.0.0.1:9",
        ["Models:Default"] = "stub-model",
        ["Models:MaxRetries"] = "0",
    });
    private ApiClient _api = null!;
    private string _workflowId = "";
    private string _firstRunId = "";
    private readonly Dictionary<string, string> _tests = [];

    public async Task InitializeAsync()
    {
        _api = _host.Client();
        var file = (await FileUploads.UploadAsync(_host, _api, "invoice.pdf", InvoiceDocumentScenario.Pdf())).ShouldBe(HttpStatusCode.OK).Json!;
        var workflow = InvoiceDocumentScenario.Workflow();
        workflow["blocks"]!.AsArray().Add(new JsonObject
        {
            ["id"] = "block_math", ["type"] = "function", ["name"] = "block_math", ["config"] = new JsonObject { ["code"] = Functions.Math },
        });
        _workflowId = (await _api.PostAsync("/v1/workflows", workflow)).ShouldBe(HttpStatusCode.Created).Id;
        JsonNode Input(int a, int b) => new JsonObject { ["a"] = a, ["b"] = b };
        _tests["passed"] = await _api.CreateTestAsync(_workflowId, "block_math", Input(1, 2), "total", Functions.Condition("equals", 3));
        _tests["failed"] = await _api.CreateTestAsync(_workflowId, "block_math", Input(1, 2), "total", Functions.Condition("equals", 4));
        _tests["blocked"] = await _api.CreateTestAsync(_workflowId, "block_math", new JsonObject { ["explode"] = true }, "total", Functions.Condition("exists"));
        var (_, extract, _) = InvoiceDocumentScenario.Tests(_workflowId, InvoiceDocumentScenario.DocumentReference(file))[0];
        _tests["error"] = (await _api.PostAsync("/v1/workflows/tests", extract)).ShouldBe(HttpStatusCode.Created).Id;

        _firstRunId = await _api.StartRunAsync(_workflowId);
        var first = await _api.WaitForTerminalAsync(_firstRunId);
        Assert.Equal("completed", RunInvariants.Status(first));
        Assert.Equal(1, first["counts"]!["passed"]!.GetValue<int>());
        Assert.Equal(1, first["counts"]!["failed"]!.GetValue<int>());
        Assert.Equal(1, first["counts"]!["blocked"]!.GetValue<int>());
        Assert.Equal(1, first["counts"]!["error"]!.GetValue<int>());
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string, string[]> OnlyModes => new()
    {
        { "failed", ["failed"] },
        { "error", ["error"] },
        { "not_passed", ["failed", "blocked", "error"] },
        { "all", ["passed", "failed", "blocked", "error"] },
    };

    [Theory]
    [MemberData(nameof(OnlyModes))]
    public async Task Rerun_runs_again_exactly_the_tests_whose_result_the_mode_selects(string only, string[] expected)
    {
        var scope = new JsonObject { ["type"] = "rerun", ["run_id"] = _firstRunId, ["only"] = only };
        var created = (await _api.PostAsync("/v1/workflows/tests/runs", new JsonObject { ["workflow_id"] = _workflowId, ["scope"] = scope }))
            .ShouldBe(HttpStatusCode.Created).Json!;
        Assert.Equal(_firstRunId, created["rerun_of"]!.GetValue<string>());
        Assert.Equal("rerun", created["scope"]!["type"]!.GetValue<string>());
        Assert.Equal(_firstRunId, created["scope"]!["run_id"]!.GetValue<string>());
        Assert.Equal(only, created["scope"]!["only"]!.GetValue<string>());
        Assert.Equal(expected.Length, created["total_tests"]!.GetValue<int>());

        var run = await _api.WaitForTerminalAsync(created["id"]!.GetValue<string>());
        Assert.Equal("completed", RunInvariants.Status(run));
        var ran = (await _api.AllResultsAsync(created["id"]!.GetValue<string>())).Select(r => r["test_id"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(expected.Select(k => _tests[k]).Order().ToList(), ran);
    }

    [Fact]
    public async Task Rerun_skips_deleted_tests_and_refuses_unknown_runs_missing_modes_and_empty_selections()
    {
        // Unknown run, another organization's run: 404.
        (await _api.PostAsync("/v1/workflows/tests/runs", RerunBody("wftestrun_missing", "failed")))
            .ShouldFailWith(HttpStatusCode.NotFound, "run_not_found", "wftestrun_missing");
        (await _host.Client(StandaloneHost.KeyB).PostAsync("/v1/workflows/tests/runs", RerunBody(_firstRunId, "failed")))
            .ShouldBe(HttpStatusCode.NotFound);

        // `only` is required and must be one of the modes.
        var missing = new JsonObject { ["workflow_id"] = _workflowId, ["scope"] = new JsonObject { ["type"] = "rerun", ["run_id"] = _firstRunId } };
        (await _api.PostAsync("/v1/workflows/tests/runs", missing)).ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await _api.PostAsync("/v1/workflows/tests/runs", RerunBody(_firstRunId, "flaky"))).ShouldBe(HttpStatusCode.UnprocessableEntity);

        // A rerun of only the failed test has no error result to rerun.
        var failedOnly = await _api.StartRunAsync(_workflowId, (JsonObject)RerunBody(_firstRunId, "failed")["scope"]!.DeepClone());
        await _api.WaitForTerminalAsync(failedOnly);
        (await _api.PostAsync("/v1/workflows/tests/runs", RerunBody(failedOnly, "error")))
            .ShouldFailWith(HttpStatusCode.UnprocessableEntity, "no_tests_in_scope", failedOnly);

        // The failed test deleted since: nothing left to rerun.
        (await _api.DeleteAsync($"/v1/workflows/tests/{_tests["failed"]}")).ShouldBe(HttpStatusCode.NoContent);
        (await _api.PostAsync("/v1/workflows/tests/runs", RerunBody(_firstRunId, "failed")))
            .ShouldFailWith(HttpStatusCode.UnprocessableEntity, "no_tests_in_scope", _firstRunId);
    }

    [Fact]
    public async Task Rerun_of_a_run_still_in_progress_is_a_conflict()
    {
        var workflowId = await _api.CreateWorkflowAsync(("block_slow", Sleepy));
        await _api.CreateTestAsync(workflowId, "block_slow", new JsonObject(), "total", Functions.Condition("equals", 1));
        var runId = await _api.StartRunAsync(workflowId);

        (await _api.PostAsync("/v1/workflows/tests/runs", RerunBody(runId, "all", workflowId)))
            .ShouldFailWith(HttpStatusCode.Conflict, "run_in_progress", runId);
        await _api.WaitForTerminalAsync(runId);
        (await _api.PostAsync("/v1/workflows/tests/runs", RerunBody(runId, "all", workflowId))).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_CreateTestRun_command_with_a_rerun_scope_is_planned_by_the_orchestrator()
    {
        var bus = _host.Services.GetRequiredService<IBus>();
        var runId = $"wftestrun_bus{Guid.NewGuid():N}";
        await bus.Publish(new CreateTestRun
        {
            RunId = runId, OrganizationId = "org_a", WorkflowId = _workflowId,
            Scope = new RunScope("rerun", RunId: _firstRunId, Only: "not_passed"), RequestedAt = DateTimeOffset.UtcNow,
        });
        var run = await WaitForRunAsync(runId);
        Assert.Equal("completed", RunInvariants.Status(run));
        Assert.Equal(_firstRunId, run["rerun_of"]!.GetValue<string>());
        Assert.Equal("custom", run["trigger"]!["type"]!.GetValue<string>());
        var ran = (await _api.AllResultsAsync(runId)).Select(r => r["test_id"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(new[] { _tests["failed"], _tests["blocked"], _tests["error"] }.Order().ToList(), ran);

        // A rerun of a run the organization does not have ends the run in error with the code.
        var unknownId = $"wftestrun_bus{Guid.NewGuid():N}";
        await bus.Publish(new CreateTestRun
        {
            RunId = unknownId, OrganizationId = "org_a", WorkflowId = _workflowId,
            Scope = new RunScope("rerun", RunId: "wftestrun_missing", Only: "failed"), RequestedAt = DateTimeOffset.UtcNow,
        });
        var failed = await WaitForRunAsync(unknownId);
        Assert.Equal("error", RunInvariants.Status(failed));
        Assert.Equal("run_not_found", failed["lifecycle"]!["details"]!["error_code"]!.GetValue<string>());
    }

    private async Task<JsonNode> WaitForRunAsync(string runId)
    {
        for (var i = 0; i < 600; i++)
        {
            var response = await _api.GetAsync($"/v1/workflows/tests/runs/{runId}");
            if (response.Status == HttpStatusCode.OK)
                return await _api.WaitForTerminalAsync(runId);
            await Task.Delay(50);
        }
        throw new TimeoutException($"Run {runId} was never created.");
    }

    private JsonObject RerunBody(string runId, string only, string? workflowId = null) => new()
    {
        ["workflow_id"] = workflowId ?? _workflowId,
        ["scope"] = new JsonObject { ["type"] = "rerun", ["run_id"] = runId, ["only"] = only },
    };
}
