using System.Xml.Linq;
using Retab.Runs.Acceptance.Tests;

namespace Retab.Runs.Cli.Tests;

/// <summary><c>runs create --wait</c> against the real standalone host: every exit code, --json, --junit.</summary>
[Collection(CliHostCollection.Name)]
public sealed class RunExitCodeTests(CliHost cli)
{
    [Fact]
    public async Task A_run_whose_tests_all_pass_exits_0()
    {
        var workflowId = await Workflows.WithTotalTestsAsync(cli.Api, 120, 120);

        var outcome = await cli.RunAsync("runs", "create", "--workflow", workflowId, "--wait");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Matches(@"Run wftestrun_\S+ completed in [0-9.]+s: 2 tests, 2 passed, 0 failed, 0 blocked, 0 error, 0 cancelled", outcome.Output);
        Assert.DoesNotContain("Expected", outcome.Output);
    }

    [Fact]
    public async Task A_failing_assertion_exits_1_and_is_listed_with_expected_and_actual()
    {
        var workflowId = await Workflows.WithTotalTestsAsync(cli.Api, 120, 999);

        var outcome = await cli.RunAsync("runs", "create", "--workflow", workflowId, "--wait");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("2 tests, 1 passed, 1 failed, 0 blocked", outcome.Output);
        var failureLine = Assert.Single(outcome.Output.Split('\n'), line => line.Contains("total is 999"));
        Assert.Matches(@"total is 999\s+│ block_total\s+│ failed\s+│ \S+\s+│ 999\s+│ 120", failureLine);
        Assert.DoesNotContain(outcome.Output.Split('\n'), line => line.Contains("total is 120"));
    }

    [Fact]
    public async Task Waiting_reads_the_progress_and_every_result_from_the_event_stream()
    {
        var workflowId = await Workflows.WithTotalTestsAsync(cli.Api, 120, 999, 999);
        var console = CliHost.Console();
        var recording = new RecordingHandler(cli.Host.Server.CreateHandler());

        var exitCode = await CliApp.RunAsync(["runs", "create", "--workflow", workflowId, "--wait"], cli.Context(console) with { Handler = recording });

        Assert.Equal(1, exitCode);
        Assert.Contains("3 tests, 1 passed, 2 failed", console.Output);
        Assert.Contains(recording.Requests, request => request.StartsWith("GET /v1/workflows/tests/runs/") && request.EndsWith("/events?results=true"));
        // The stream sent every result before its final event: the results were never listed separately.
        Assert.DoesNotContain(recording.Requests, request => request.StartsWith("GET /v1/workflows/tests/results"));
    }

    [Fact]
    public async Task A_blocked_test_exits_1()
    {
        var workflowId = await cli.Api.CreateWorkflowAsync(("block_total", Workflows.Total));
        await cli.Api.CreateTestAsync(workflowId, "block_total", new JsonObject { ["net"] = 1, ["tax"] = 1 }, "missing.path",
            Functions.Condition("equals", 2), "reads a path that is not there");

        var outcome = await cli.RunAsync("runs", "create", "--workflow", workflowId, "--wait");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("1 blocked", outcome.Output);
        Assert.Contains("path_not_found", outcome.Output);
    }

    [Fact]
    public async Task A_test_that_ends_in_error_exits_2_and_shows_its_error_code()
    {
        var workflowId = await Workflows.WithUnreachableModelAsync(cli.Api);

        var outcome = await cli.RunAsync("runs", "create", "--workflow", workflowId, "--wait");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("1 tests, 0 passed, 0 failed, 0 blocked, 1 error", outcome.Output);
        Assert.Contains("model_unavailable", outcome.Output);
    }

    [Fact]
    public async Task A_run_cancelled_by_ctrl_c_with_cancel_on_interrupt_exits_2()
    {
        var workflowId = await Workflows.WithSlowTestsAsync(cli.Api, 80);
        var interrupt = new InterruptSignal();
        var console = CliHost.Console();

        var waiting = CliApp.RunAsync(["runs", "create", "--workflow", workflowId, "--wait", "--cancel-on-interrupt"], cli.Context(console, interrupt));
        var runId = await FirstRunOfAsync(workflowId);
        interrupt.Raise();
        var exitCode = await waiting.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        var run = (await cli.Api.GetAsync($"/v1/workflows/tests/runs/{runId}")).Json!;
        Assert.Equal("cancelled", run["lifecycle"]!["status"]!.GetValue<string>());
        Assert.Contains($"Run {runId} cancelled", console.Output);
    }

    [Fact]
    public async Task Ctrl_c_in_a_terminal_asks_and_cancels_the_run_when_told_yes()
    {
        var workflowId = await Workflows.WithSlowTestsAsync(cli.Api, 80);
        var interrupt = new InterruptSignal();
        var console = CliHost.Console();
        console.Profile.Capabilities.Interactive = true;
        console.Input.PushTextWithEnter("y");

        var waiting = CliApp.RunAsync(["runs", "create", "--workflow", workflowId, "--wait"], cli.Context(console, interrupt));
        var runId = await FirstRunOfAsync(workflowId);
        interrupt.Raise();
        var exitCode = await waiting.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains($"Cancel run {runId}?", console.Output);
        Assert.Contains($"Run {runId} cancelled", console.Output);
        var run = (await cli.Api.GetAsync($"/v1/workflows/tests/runs/{runId}")).Json!;
        Assert.Equal("cancelled", run["lifecycle"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ctrl_c_without_a_terminal_or_the_flag_stops_waiting_with_2_and_leaves_the_run_going()
    {
        var workflowId = await Workflows.WithSlowTestsAsync(cli.Api, 40);
        var interrupt = new InterruptSignal();
        var console = CliHost.Console();

        var waiting = CliApp.RunAsync(["runs", "create", "--workflow", workflowId, "--wait"], cli.Context(console, interrupt));
        var runId = await FirstRunOfAsync(workflowId);
        interrupt.Raise();
        var exitCode = await waiting.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains($"Stopped waiting; run {runId} goes on", console.Output);
        var run = await cli.Api.WaitForTerminalAsync(runId, TimeSpan.FromSeconds(60));
        Assert.Equal("completed", run["lifecycle"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watching_a_run_cancelled_elsewhere_exits_2()
    {
        var workflowId = await Workflows.WithSlowTestsAsync(cli.Api, 40);
        var runId = await cli.Api.StartRunAsync(workflowId);

        var watching = cli.RunAsync("runs", "watch", runId);
        var cancelled = await cli.RunAsync("runs", "cancel", runId, "--reason", "enough");
        var outcome = await watching.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, cancelled.ExitCode);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains($"Run {runId} cancelled (enough)", outcome.Output);
    }

    [Fact]
    public async Task An_unknown_workflow_exits_3_with_the_services_error()
    {
        var outcome = await cli.RunAsync("runs", "create", "--workflow", "wf_does_not_exist_anywhere_000", "--wait");

        Assert.Equal(3, outcome.ExitCode);
        Assert.Contains("404", outcome.Output);
        Assert.Contains("workflow_not_found", outcome.Output);
    }

    [Fact]
    public async Task An_unreachable_service_exits_3()
    {
        var console = CliHost.Console();
        var context = cli.Context(console) with { Handler = null };

        var exitCode = await CliApp.RunAsync(
            ["runs", "create", "--workflow", "wf_x", "--wait", "--base-url", $"http://127.0.0.1:{ClosedPort.Find()}"], context);

        Assert.Equal(3, exitCode);
        Assert.Contains("Cannot reach Retab Runs at http://127.0.0.1:", console.Output);
    }

    [Fact]
    public async Task Bad_flags_exit_3()
    {
        Assert.Equal(3, (await cli.RunAsync("runs", "create")).ExitCode);
        Assert.Equal(3, (await cli.RunAsync("runs", "create", "--workflow", "wf_x", "--block", "b", "--test", "t")).ExitCode);
        Assert.Equal(3, (await cli.RunAsync("results", "list", "--run", "wftestrun_x", "--verdict", "maybe")).ExitCode);
        Assert.Equal(3, (await cli.RunAsync("runs", "create", "--workflow", "wf_x", "--junit", "out.xml")).ExitCode);
    }

    [Fact]
    public async Task Json_prints_the_final_run_and_every_result_as_one_document()
    {
        var workflowId = await Workflows.WithTotalTestsAsync(cli.Api, 120, 999, 999);

        var outcome = await cli.RunAsync("runs", "create", "--workflow", workflowId, "--wait", "--json");

        Assert.Equal(1, outcome.ExitCode);
        var document = JsonNode.Parse(outcome.Output)!.AsObject();
        Assert.Equal("completed", document["run"]!["lifecycle"]!["status"]!.GetValue<string>());
        Assert.Equal(workflowId, document["run"]!["workflow_id"]!.GetValue<string>());
        var results = document["results"]!.AsArray();
        Assert.Equal(3, results.Count);
        Assert.Equal(2, results.Count(result => result!["verdict"]!.GetValue<string>() == "failed"));
        Assert.All(results, result => Assert.Equal(document["run"]!["id"]!.GetValue<string>(), result!["run_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Junit_writes_one_testsuite_with_a_testcase_per_test_and_failures_counted()
    {
        var workflowId = await Workflows.WithTotalTestsAsync(cli.Api, 120, 999);
        var path = cli.TempFile($"{Guid.NewGuid():n}.xml");

        var outcome = await cli.RunAsync("runs", "create", "--workflow", workflowId, "--wait", "--junit", path);

        Assert.Equal(1, outcome.ExitCode);
        var suite = XDocument.Load(path).Root!;
        Assert.Equal("testsuite", suite.Name.LocalName);
        Assert.StartsWith("wftestrun_", (string)suite.Attribute("name")!);
        Assert.Equal(suite.Attribute("name")!.Value, suite.Attribute("id")!.Value);
        Assert.Equal(("2", "1", "0", "0"), (suite.Attribute("tests")!.Value, suite.Attribute("failures")!.Value, suite.Attribute("errors")!.Value, suite.Attribute("skipped")!.Value));
        Assert.Matches(@"^\d+\.\d{3}$", suite.Attribute("time")!.Value);
        var cases = suite.Elements("testcase").ToList();
        Assert.Equal(["total is 120", "total is 999"], cases.Select(c => c.Attribute("name")!.Value).Order());
        Assert.All(cases, c => Assert.Equal("block_total", c.Attribute("classname")!.Value));
        var failure = Assert.Single(cases.SelectMany(c => c.Elements("failure")));
        Assert.Equal("total is 999", failure.Parent!.Attribute("name")!.Value);
        Assert.Equal("failed", failure.Attribute("type")!.Value);
        Assert.Contains("expected: 999", failure.Value);
        Assert.Contains("actual: 120", failure.Value);
    }

    [Fact]
    public async Task Junit_reports_an_error_result_as_error_and_cancelled_tests_as_skipped()
    {
        var errorPath = cli.TempFile($"{Guid.NewGuid():n}.xml");
        var error = await cli.RunAsync("runs", "create", "--workflow", await Workflows.WithUnreachableModelAsync(cli.Api), "--wait", "--junit", errorPath);
        Assert.Equal(2, error.ExitCode);
        var errorSuite = XDocument.Load(errorPath).Root!;
        Assert.Equal(("1", "0", "1", "0"), (errorSuite.Attribute("tests")!.Value, errorSuite.Attribute("failures")!.Value, errorSuite.Attribute("errors")!.Value, errorSuite.Attribute("skipped")!.Value));
        Assert.Equal("model_unavailable", errorSuite.Element("testcase")!.Element("error")!.Attribute("type")!.Value);

        var workflowId = await Workflows.WithSlowTestsAsync(cli.Api, 40);
        var runId = await cli.Api.StartRunAsync(workflowId);
        await cli.RunAsync("runs", "cancel", runId);
        var cancelledPath = cli.TempFile($"{Guid.NewGuid():n}.xml");
        var cancelled = await cli.RunAsync("runs", "watch", runId, "--junit", cancelledPath);
        Assert.Equal(2, cancelled.ExitCode);
        var cancelledSuite = XDocument.Load(cancelledPath).Root!;
        var skipped = int.Parse(cancelledSuite.Attribute("skipped")!.Value);
        Assert.True(skipped > 0, cancelledSuite.ToString());
        Assert.Equal(skipped, cancelledSuite.Elements("testcase").Count(c => c.Element("skipped") is not null));
        Assert.Equal(40, cancelledSuite.Elements("testcase").Count());
    }

    private async Task<string> FirstRunOfAsync(string workflowId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var runs = (await cli.Api.GetAsync($"/v1/workflows/tests/runs?workflow_id={workflowId}")).Json!["data"]!.AsArray();
            if (runs.Count > 0)
                return runs[0]!["id"]!.GetValue<string>();
            await Task.Delay(20);
        }
        throw new TimeoutException($"No run of {workflowId} started.");
    }
}
