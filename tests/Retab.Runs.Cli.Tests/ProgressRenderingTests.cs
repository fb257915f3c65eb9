using Microsoft.Extensions.Time.Testing;
using Retab.Runs.Cli.Reports;
using Retab.Runs.Cli.Watching;
using Spectre.Console;
using Spectre.Console.Testing;

namespace Retab.Runs.Cli.Tests;

/// <summary>What a CI log and a terminal show while and after a run goes, captured at a fixed width.</summary>
public sealed class ProgressRenderingTests
{
    private static readonly RunProgress Start = new("wftestrun_1", "running", 10, 10, 0, 0, 0, 0, 0, 0);

    private static List<string> Lines(TestConsole console) =>
        console.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd()).ToList();

    [Fact]
    public async Task Without_a_terminal_one_plain_line_is_printed_per_second_and_one_at_the_end()
    {
        var time = new FakeTimeProvider();
        var console = (TestConsole)new TestConsole().Width(100);
        var clock = new ProgressClock(time);
        var progress = Start;
        var run = new TaskCompletionSource<string>();

        var showing = ProgressTicker.ShowWhileAsync(run.Task, TimeSpan.FromSeconds(1), time,
            () => console.WriteLine(ProgressText.Line(progress, clock.Measure(progress))));
        progress = progress with { Queued = 6, Passed = 3, Failed = 1 };
        await AdvanceAsync(time, console, expectedLines: 2);
        progress = progress with { Queued = 2, Passed = 6, Failed = 1, Blocked = 1 };
        await AdvanceAsync(time, console, expectedLines: 3);
        progress = progress with { Status = "completed", Queued = 0, Passed = 7, Failed = 1, Blocked = 1, Error = 1 };
        run.SetResult("done");
        Assert.Equal("done", await showing);

        Assert.Equal(
        [
            "[00:00] running 0/10  passed 0  failed 0  blocked 0  error 0  cancelled 0  0.0 tests/s  ETA --:--",
            "[00:01] running 4/10  passed 3  failed 1  blocked 0  error 0  cancelled 0  4.0 tests/s  ETA 00:01",
            "[00:02] running 8/10  passed 6  failed 1  blocked 1  error 0  cancelled 0  4.0 tests/s  ETA 00:00",
            "[00:02] completed 10/10  passed 7  failed 1  blocked 1  error 1  cancelled 0  5.0 tests/s  ETA 00:00",
        ], Lines(console));
    }

    private static async Task AdvanceAsync(FakeTimeProvider time, TestConsole console, int expectedLines)
    {
        time.Advance(TimeSpan.FromSeconds(1));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Lines(console).Count < expectedLines && DateTime.UtcNow < deadline)
            await Task.Delay(5);
        Assert.Equal(expectedLines, Lines(console).Count);
    }

    [Fact]
    public void The_live_view_shows_the_counts_speed_and_eta_under_the_bar()
    {
        var console = (TestConsole)new TestConsole().Width(140);
        var progress = Start with { Queued = 5, Passed = 3, Failed = 1, Blocked = 1 };

        console.Write(ProgressView.Render(progress, new ProgressFigures(TimeSpan.FromSeconds(5), 1.0, TimeSpan.FromSeconds(5))));

        var lines = Lines(console);
        Assert.Equal(2, lines.Count);
        Assert.Equal(
            "running 5/10  passed 3  failed 1  blocked 1  error 0  cancelled 0  1.0 tests/s  elapsed 00:05  ETA 00:05",
            lines[1]);
    }

    [Fact]
    public void The_end_of_a_run_is_a_summary_line_and_a_table_of_the_tests_that_did_not_pass()
    {
        var console = (TestConsole)new TestConsole().Width(170);
        var run = JsonNode.Parse("""
            {"id": "wftestrun_1", "lifecycle": {"status": "completed"}, "total_tests": 4, "timing": {"duration_ms": 1530},
             "counts": {"queued": 0, "running": 0, "passed": 1, "failed": 1, "blocked": 1, "error": 1, "cancelled": 0}}
            """)!.AsObject();
        var longText = new string('x', 100);
        JsonObject[] results =
        [
            Result("t_pass", "completed", "passed", null, 1, 1),
            Result("t_fail", "completed", "failed", "not_equal", longText, "short"),
            Result("t_blocked", "completed", "blocked", "path_not_found", 2, null),
            JsonNode.Parse("""
                {"id": "r_t_error", "test_id": "t_error", "block_id": "block_b", "verdict": null,
                 "lifecycle": {"status": "error", "message": "The model server did not answer", "details": {"error_code": "model_unavailable"}}}
                """)!.AsObject(),
        ];
        var names = new Dictionary<string, string> { ["t_pass"] = "passes", ["t_fail"] = "fails", ["t_blocked"] = "is blocked" };

        RunReport.Write(console, run, results.Select(result => ResultRow.From(result, names)).ToList());

        var shortened = new string('x', 59) + "…";
        Assert.Equal(
        [
            "Run wftestrun_1 completed in 1.5s: 4 tests, 1 passed, 1 failed, 1 blocked, 1 error, 0 cancelled",
            "╭────────────┬─────────┬─────────┬───────────────────┬──────────────────────────────────────────────────────────────┬─────────────────────────────────╮",
            "│ Test       │ Block   │ Outcome │ Code              │ Expected                                                     │ Actual                          │",
            "├────────────┼─────────┼─────────┼───────────────────┼──────────────────────────────────────────────────────────────┼─────────────────────────────────┤",
            $"│ fails      │ block_a │ failed  │ not_equal         │ {shortened} │ short                           │",
            "│ is blocked │ block_a │ blocked │ path_not_found    │ 2                                                            │ null                            │",
            "│ t_error    │ block_b │ error   │ model_unavailable │                                                              │ The model server did not answer │",
            "╰────────────┴─────────┴─────────┴───────────────────┴──────────────────────────────────────────────────────────────┴─────────────────────────────────╯",
        ], Lines(console));
    }

    [Fact]
    public void The_failure_table_puts_failures_before_cancelled_tests_and_stops_at_fifty_rows()
    {
        var console = (TestConsole)new TestConsole().Width(170);
        var run = JsonNode.Parse("""
            {"id": "wftestrun_2", "lifecycle": {"status": "cancelled"}, "total_tests": 61,
             "counts": {"passed": 0, "failed": 1, "blocked": 0, "error": 0, "cancelled": 60}}
            """)!.AsObject();
        var rows = Enumerable.Range(0, 60)
            .Select(i => new ResultRow($"cancelled {i:00}", "block_a", "cancelled", null, null, null, null, null, null))
            .Append(new ResultRow("the failure", "block_z", "completed", "failed", "assertion_failed", "no", "1", "2", 5))
            .ToList();

        RunReport.Write(console, run, rows);

        var lines = Lines(console);
        Assert.Contains("the failure", lines[4]);
        Assert.Equal(50, lines.Count(line => line.Contains("│ block_")));
        Assert.Equal("… and 11 more: retab-runs results list --run wftestrun_2", lines[^1]);
    }

    private static JsonObject Result(string testId, string status, string verdict, string? code, JsonNode? expected, JsonNode? actual)
    {
        var assertion = new JsonObject { ["expected_value"] = expected, ["actual_value"] = actual };
        if (code is not null)
            assertion["failure"] = new JsonObject { ["code"] = code, ["message"] = $"{code} happened" };
        return new JsonObject
        {
            ["id"] = $"r_{testId}", ["test_id"] = testId, ["block_id"] = "block_a", ["verdict"] = verdict,
            ["lifecycle"] = new JsonObject { ["status"] = status }, ["assertion_result"] = assertion,
        };
    }

    [Theory]
    [InlineData("completed", 0, 0, 0, 0, 0)]
    [InlineData("completed", 1, 0, 0, 0, 1)]
    [InlineData("completed", 0, 1, 0, 0, 1)]
    [InlineData("completed", 1, 1, 1, 0, 2)]
    [InlineData("completed", 0, 0, 0, 1, 2)]
    [InlineData("cancelled", 0, 0, 0, 0, 2)]
    [InlineData("error", 0, 0, 0, 0, 2)]
    public void A_run_earns_its_exit_code(string status, int failed, int blocked, int error, int cancelled, int exitCode)
    {
        var run = new JsonObject
        {
            ["id"] = "wftestrun_1",
            ["lifecycle"] = new JsonObject { ["status"] = status },
            ["counts"] = new JsonObject { ["passed"] = 1, ["failed"] = failed, ["blocked"] = blocked, ["error"] = error, ["cancelled"] = cancelled },
        };
        Assert.Equal(exitCode, RunOutcome.ExitCode(run));
    }
}
