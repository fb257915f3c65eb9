using System.CommandLine;
using System.Text.Json.Nodes;
using Retab.Runs.Cli.Api;
using Retab.Runs.Cli.Watching;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Retab.Runs.Cli.Commands;

/// <summary><c>runs create|get|list|cancel|watch</c>: test runs (DESIGN §3.4).</summary>
public static class RunsCommands
{
    private const string Runs = "v1/workflows/tests/runs";

    public static Command Build(CommandKit kit)
    {
        var runs = new Command("runs", "Start, follow, list and cancel test runs");
        runs.Subcommands.Add(Create(kit));
        runs.Subcommands.Add(Get(kit));
        runs.Subcommands.Add(List(kit));
        runs.Subcommands.Add(Cancel(kit));
        runs.Subcommands.Add(Watch(kit));
        runs.Subcommands.Add(RerunCompareCommands.Rerun(kit));
        runs.Subcommands.Add(RerunCompareCommands.Compare(kit));
        return runs;
    }

    private static Command Create(CommandKit kit)
    {
        var workflow = new Option<string>("--workflow") { Description = "The workflow whose tests run (wf_…)", Required = true };
        var block = new Option<string?>("--block") { Description = "Run only the tests of this block" };
        var test = new Option<string?>("--test") { Description = "Run only this test (wfnodetest_…)" };
        var wait = new Option<bool>("--wait") { Description = "Follow the run to its end; the exit code tells how it went" };
        var json = CommandKit.JsonOption();
        var watch = new WatchFlags();
        var command = new Command("create", "Start a test run of a workflow") { workflow, block, test, wait, json };
        watch.AddTo(command);
        command.SetAction(async parse =>
        {
            if (parse.GetValue(block) is not null && parse.GetValue(test) is not null)
                throw new CliException("Give --block or --test, not both.");
            if (!parse.GetValue(wait) && watch.AnyGiven(parse))
                throw new CliException("--junit and --cancel-on-interrupt need --wait.");
            var body = new JsonObject { ["workflow_id"] = parse.GetValue(workflow) };
            if (parse.GetValue(block) is { } blockId)
                body["scope"] = new JsonObject { ["type"] = "block", ["block_id"] = blockId };
            else if (parse.GetValue(test) is { } testId)
                body["scope"] = new JsonObject { ["type"] = "single", ["test_id"] = testId };

            using var client = kit.Connect(parse);
            var run = (JsonObject)await client.PostAsync(Runs, body, CancellationToken.None);
            if (!parse.GetValue(wait))
                return kit.Print(parse.GetValue(json), run, RunDetails);
            return await new RunWatcher(client, kit.Context).WatchAsync(run, watch.Options(parse, parse.GetValue(json)));
        });
        return command;
    }

    private static Command Get(CommandKit kit)
    {
        var runId = new Argument<string>("RUN_ID") { Description = "wftestrun_…" };
        var json = CommandKit.JsonOption();
        var command = new Command("get", "Show a test run") { runId, json };
        command.SetAction(async parse =>
        {
            using var client = kit.Connect(parse);
            return kit.Print(parse.GetValue(json), await client.GetAsync($"{Runs}/{CommandKit.Path(parse.GetValue(runId)!)}", CancellationToken.None), RunDetails);
        });
        return command;
    }

    private static Command List(CommandKit kit)
    {
        var workflow = new Option<string?>("--workflow") { Description = "Only this workflow's runs" };
        var status = new Option<string?>("--status") { Description = "Only runs in this status" };
        status.AcceptOnlyFromAmong("pending", "queued", "running", "completed", "error", "cancelled");
        var limit = new Option<int>("--limit") { Description = "At most this many runs, newest first", DefaultValueFactory = _ => 20 };
        var json = CommandKit.JsonOption();
        var command = new Command("list", "List test runs, newest first") { workflow, status, limit, json };
        command.SetAction(async parse =>
        {
            if (parse.GetValue(limit) < 1)
                throw new CliException("--limit must be at least 1.");
            using var client = kit.Connect(parse);
            var query = new Dictionary<string, string?> { ["workflow_id"] = parse.GetValue(workflow), ["status"] = parse.GetValue(status) };
            var runs = await client.ListAllAsync(Runs, query, parse.GetValue(limit), CancellationToken.None);
            return kit.Print(parse.GetValue(json), new JsonArray(runs.Select(run => (JsonNode)run.DeepClone()).ToArray()), _ => RunTable(runs));
        });
        return command;
    }

    private static Command Cancel(CommandKit kit)
    {
        var runId = new Argument<string>("RUN_ID") { Description = "wftestrun_…" };
        var reason = new Option<string?>("--reason") { Description = "Kept on the run's cancelled lifecycle" };
        var json = CommandKit.JsonOption();
        var command = new Command("cancel", "Cancel a test run that has not ended") { runId, reason, json };
        command.SetAction(async parse =>
        {
            using var client = kit.Connect(parse);
            var body = new JsonObject();
            if (parse.GetValue(reason) is { } why)
                body["reason"] = why;
            var run = await client.PostAsync($"{Runs}/{CommandKit.Path(parse.GetValue(runId)!)}/cancel", body, CancellationToken.None);
            return kit.Print(parse.GetValue(json), run, RunDetails);
        });
        return command;
    }

    private static Command Watch(CommandKit kit)
    {
        var runId = new Argument<string>("RUN_ID") { Description = "wftestrun_…" };
        var json = new Option<bool>("--json") { Description = "Print only {\"run\": …, \"results\": [...]} at the end" };
        var watch = new WatchFlags();
        var command = new Command("watch", "Follow a test run to its end; the exit code tells how it went") { runId, json };
        watch.AddTo(command);
        command.SetAction(async parse =>
        {
            using var client = kit.Connect(parse);
            var run = (JsonObject)await client.GetAsync($"{Runs}/{CommandKit.Path(parse.GetValue(runId)!)}", CancellationToken.None);
            return await new RunWatcher(client, kit.Context).WatchAsync(run, watch.Options(parse, parse.GetValue(json)));
        });
        return command;
    }

    public static IRenderable RunDetails(JsonNode run) => CommandKit.Details(
        ("id", run.Str("id")),
        ("workflow", run.Str("workflow_id")),
        ("version", run.Str("workflow_version_id")),
        ("status", run.Str("lifecycle", "status")),
        ("scope", Scope(run)),
        ("tests", run.Long("total_tests")?.ToString()),
        ("counts", Counts(run)),
        ("created", run.Str("timing", "created_at")),
        ("completed", run.Str("timing", "completed_at")),
        ("freshness", run.Str("freshness", "status")),
        ("rerun of", run.Str("rerun_of")),
        ("baseline", run.Str("baseline_run_id")),
        ("regressions", run.Long("regressions")?.ToString()),
        ("fixes", run.Long("fixes")?.ToString()));

    private static IRenderable RunTable(IEnumerable<JsonObject> runs)
    {
        var table = CommandKit.List("ID", "Workflow", "Status", "Tests", "Passed", "Failed", "Blocked", "Error", "Cancelled", "Created");
        foreach (var run in runs)
            table.AddRow(Cells.Of(run.Str("id"), run.Str("workflow_id"), run.Str("lifecycle", "status"), run.Long("total_tests")?.ToString(),
                run.Int("counts", "passed").ToString(), run.Int("counts", "failed").ToString(), run.Int("counts", "blocked").ToString(),
                run.Int("counts", "error").ToString(), run.Int("counts", "cancelled").ToString(), run.Str("timing", "created_at")));
        return table;
    }

    private static string Scope(JsonNode run) =>
        run.Str("rerun_of") is { } earlier ? $"rerun of {earlier} ({run.Str("scope", "only")})"
        : run.Str("test_id") is { } test ? $"test {test}"
        : run.Str("target", "block_id") is { } block ? $"block {block}"
        : "whole workflow";

    private static string Counts(JsonNode run) =>
        $"queued {run.Int("counts", "queued")}, running {run.Int("counts", "running")}, passed {run.Int("counts", "passed")}, " +
        $"failed {run.Int("counts", "failed")}, blocked {run.Int("counts", "blocked")}, error {run.Int("counts", "error")}, " +
        $"cancelled {run.Int("counts", "cancelled")}";
}
