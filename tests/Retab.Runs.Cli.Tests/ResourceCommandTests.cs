using Retab.Runs.Acceptance.Tests;

namespace Retab.Runs.Cli.Tests;

/// <summary>The commands that do not wait: a table by default, the service's JSON with --json, 0 on success and 3 on a refusal.</summary>
[Collection(CliHostCollection.Name)]
public sealed class ResourceCommandTests(CliHost cli)
{
    [Fact]
    public async Task A_workflow_its_tests_a_run_and_its_results_can_be_managed_from_the_command_line()
    {
        var workflowFile = cli.TempFile($"{Guid.NewGuid():n}-workflow.json");
        await File.WriteAllTextAsync(workflowFile, new JsonObject
        {
            ["name"] = "Invoice totals from the CLI",
            ["blocks"] = new JsonArray(new JsonObject
            {
                ["id"] = Workflows.TotalBlock, ["type"] = "function", ["name"] = "Total", ["config"] = new JsonObject { ["code"] = Workflows.Total },
            }),
        }.ToJsonString());
        var created = await cli.RunAsync("workflows", "create", "-f", workflowFile, "--json");
        Assert.Equal(0, created.ExitCode);
        var workflowId = JsonNode.Parse(created.Output)!["id"]!.GetValue<string>();

        var shown = await cli.RunAsync("workflows", "get", workflowId);
        Assert.Equal(0, shown.ExitCode);
        Assert.Contains("Invoice totals from the CLI", shown.Output);
        Assert.Contains(Workflows.TotalBlock, shown.Output);
        Assert.Contains(workflowId, (await cli.RunAsync("workflows", "list")).Output);

        var testFile = cli.TempFile($"{Guid.NewGuid():n}-test.json");
        await File.WriteAllTextAsync(testFile, ApiClient.TestBody(workflowId, Workflows.TotalBlock, new JsonObject { ["net"] = 100, ["tax"] = 20 },
            "total", Functions.Condition("equals", 999), "total is 999").ToJsonString());
        var test = await cli.RunAsync("tests", "create", "-f", testFile);
        Assert.Equal(0, test.ExitCode);
        var testId = Assert.Single((await cli.Api.GetAsync($"/v1/workflows/tests?workflow_id={workflowId}")).Json!["data"]!.AsArray())!["id"]!.GetValue<string>();
        Assert.Contains(testId, test.Output);
        Assert.Contains("total is 999", (await cli.RunAsync("tests", "list", "--workflow", workflowId, "--block", Workflows.TotalBlock)).Output);
        Assert.Contains("equals", (await cli.RunAsync("tests", "get", testId)).Output);

        var run = await cli.RunAsync("runs", "create", "--workflow", workflowId, "--test", testId, "--json");
        Assert.Equal(0, run.ExitCode);
        var runJson = JsonNode.Parse(run.Output)!;
        var runId = runJson["id"]!.GetValue<string>();
        Assert.Equal(testId, runJson["test_id"]!.GetValue<string>());
        await cli.Api.WaitForTerminalAsync(runId);

        var got = await cli.RunAsync("runs", "get", runId);
        Assert.Contains("completed", got.Output);
        Assert.Contains($"test {testId}", got.Output);
        var listed = await cli.RunAsync("runs", "list", "--workflow", workflowId, "--status", "completed", "--json");
        Assert.Equal(runId, Assert.Single(JsonNode.Parse(listed.Output)!.AsArray())!["id"]!.GetValue<string>());
        var failed = await cli.RunAsync("results", "list", "--run", runId, "--verdict", "failed", "--json");
        Assert.Equal("failed", Assert.Single(JsonNode.Parse(failed.Output)!.AsArray())!["verdict"]!.GetValue<string>());
        Assert.Empty(JsonNode.Parse((await cli.RunAsync("results", "list", "--run", runId, "--verdict", "passed", "--json")).Output)!.AsArray());
        Assert.Contains("999", (await cli.RunAsync("results", "list", "--run", runId)).Output);

        var notCancellable = await cli.RunAsync("runs", "cancel", runId);
        Assert.Equal(3, notCancellable.ExitCode);
        Assert.Contains("run_not_cancellable", notCancellable.Output);

        Assert.Equal(0, (await cli.RunAsync("tests", "delete", testId)).ExitCode);
        var gone = await cli.RunAsync("tests", "get", testId);
        Assert.Equal(3, gone.ExitCode);
        Assert.Contains("404", gone.Output);
    }

    [Fact]
    public async Task Results_list_follows_every_page()
    {
        var workflowId = await cli.Api.CreateWorkflowAsync(("block_echo", Functions.Echo));
        for (var i = 0; i < 105; i++)
            await cli.Api.CreateTestAsync(workflowId, "block_echo", new JsonObject { ["i"] = i }, "v", Functions.Condition("equals", i));
        var runId = await cli.Api.StartRunAsync(workflowId);
        await cli.Api.WaitForTerminalAsync(runId, TimeSpan.FromSeconds(120));

        var listed = await cli.RunAsync("results", "list", "--run", runId, "--json");

        Assert.Equal(0, listed.ExitCode);
        var ids = JsonNode.Parse(listed.Output)!.AsArray().Select(result => result!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(105, ids.Distinct().Count());
    }

    [Fact]
    public async Task A_file_uploads_in_one_request_and_prints_the_test_input_that_names_it()
    {
        var path = cli.TempFile($"{Guid.NewGuid():n}-notes.txt");
        await File.WriteAllTextAsync(path, "Invoice total: 120 EUR");

        var uploaded = await cli.RunAsync("files", "upload", path, "--json");

        Assert.Equal(0, uploaded.ExitCode);
        var file = JsonNode.Parse(uploaded.Output)!;
        Assert.StartsWith("file_", file["id"]!.GetValue<string>());
        Assert.Equal("text/plain", file["mime_type"]!.GetValue<string>());
        var table = await cli.RunAsync("files", "upload", path);
        Assert.Contains("\"type\":\"file\"", table.Output);
    }

    [Fact]
    public async Task A_refused_key_exits_3_and_says_where_the_key_came_from()
    {
        var outcome = await cli.RunAsync("workflows", "list", "--api-key", "rr_not_a_key_of_this_service_at_all_00");

        Assert.Equal(3, outcome.ExitCode);
        Assert.Contains("401", outcome.Output);
    }
}
