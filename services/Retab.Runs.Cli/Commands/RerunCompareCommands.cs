using System.CommandLine;
using System.Text.Json.Nodes;
using Retab.Runs.Cli.Api;
using Retab.Runs.Cli.Watching;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Retab.Runs.Cli.Commands;

/// <summary><c>runs rerun</c> (run again what an earlier run selected) and <c>runs compare</c> (what changed since a baseline run).</summary>
public static class RerunCompareCommands
{
    private const string Runs = "v1/workflows/tests/runs";

    public static Command Rerun(CommandKit kit)
    {
        var runId = new Argument<string>("RUN_ID") { Description = "The earlier run (wftestrun_…)" };
        var only = new Option<string>("--only") { Description = "Which of its tests run again", DefaultValueFactory = _ => "failed" };
        only.AcceptOnlyFromAmong("failed", "not_passed", "error", "all");
        var wait = new Option<bool>("--wait") { Description = "Follow the run to its end; the exit code tells how it went" };
        var json = CommandKit.JsonOption();
        var watch = new WatchFlags();
        var command = new Command("rerun", "Run again, against the current draft, the tests of an earlier run that failed (or --only …)") { runId, only, wait, json };
        watch.AddTo(command);
        command.SetAction(async parse =>
        {
            if (!parse.GetValue(wait) && watch.AnyGiven(parse))
                throw new CliException("--junit and --cancel-on-interrupt need --wait.");
            using var client = kit.Connect(parse);
            // The API needs the workflow: it is the earlier run's.
            var earlier = await client.GetAsync($"{Runs}/{CommandKit.Path(parse.GetValue(runId)!)}", CancellationToken.None);
            var body = new JsonObject
            {
                ["workflow_id"] = earlier.Str("workflow_id"),
                ["scope"] = new JsonObject { ["type"] = "rerun", ["run_id"] = earlier.Str("id"), ["only"] = parse.GetValue(only) },
            };
            var run = (JsonObject)await client.PostAsync(Runs, body, CancellationToken.None);
            if (!parse.GetValue(wait))
                return kit.Print(parse.GetValue(json), run, RunsCommands.RunDetails);
            return await new RunWatcher(client, kit.Context).WatchAsync(run, watch.Options(parse, parse.GetValue(json)));
        });
        return command;
    }

    public static Command Compare(CommandKit kit)
    {
        var runId = new Argument<string>("RUN_ID") { Description = "wftestrun_…" };
        var baseline = new Option<string>("--baseline") { Description = "previous, or the id of the run to compare with", DefaultValueFactory = _ => "previous" };
        var change = new Option<string?>("--change") { Description = "Only tests that changed this way" };
        change.AcceptOnlyFromAmong("fixed", "regressed", "still_failing", "still_passing", "added", "removed");
        var json = CommandKit.JsonOption();
        var command = new Command("compare", "Compare a run with its previous run (or --baseline RUN), test by test") { runId, baseline, change, json };
        command.SetAction(async parse =>
        {
            using var client = kit.Connect(parse);
            var path = $"{Runs}/{CommandKit.Path(parse.GetValue(runId)!)}/compare";
            var query = new Dictionary<string, string?> { ["baseline"] = parse.GetValue(baseline), ["change"] = parse.GetValue(change), ["order"] = "asc" };
            // Every page, so the table holds the whole comparison; the summary is the same on each page.
            var first = await client.GetAsync(RetabRunsClient.WithQuery(path, new Dictionary<string, string?>(query) { ["limit"] = "100" }), CancellationToken.None);
            var rows = new JsonArray(first["data"]!.AsArray().Select(r => r!.DeepClone()).ToArray());
            var after = first.Str("list_metadata", "after");
            while (after is not null)
            {
                var page = await client.GetAsync(RetabRunsClient.WithQuery(path, new Dictionary<string, string?>(query) { ["limit"] = "100", ["after"] = after }), CancellationToken.None);
                foreach (var row in page["data"]!.AsArray())
                    rows.Add(row!.DeepClone());
                after = page.Str("list_metadata", "after");
            }
            var whole = first.DeepClone().AsObject();
            whole["data"] = rows;
            whole["list_metadata"] = new JsonObject { ["before"] = null, ["after"] = null };
            return kit.Print(parse.GetValue(json), whole, ComparisonView);
        });
        return command;
    }

    private static IRenderable ComparisonView(JsonNode comparison)
    {
        var table = CommandKit.List("Change", "Test", "Name", "Block", "Before", "After");
        foreach (var row in comparison["data"]!.AsArray().OfType<JsonNode>())
            table.AddRow(Cells.Of(row.Str("change"), row.Str("test_id"), row.Str("name"), row.Str("block_id"), Outcome(row["before"]), Outcome(row["after"])));
        var summary = comparison["summary"]!;
        var line = $"baseline {comparison.Str("baseline_run_id") ?? "none"}: regressed {summary.Int("regressed")}, fixed {summary.Int("fixed")}, " +
            $"still failing {summary.Int("still_failing")}, still passing {summary.Int("still_passing")}, added {summary.Int("added")}, removed {summary.Int("removed")}";
        return new Rows(table, new Text(line));
    }

    private static string? Outcome(JsonNode? result) => result is null ? null : result.Str("verdict") ?? result.Str("status");
}
