using System.CommandLine;
using System.Text.Json.Nodes;
using Retab.Runs.Cli.Api;
using Retab.Runs.Cli.Reports;
using Spectre.Console;

namespace Retab.Runs.Cli.Commands;

/// <summary><c>results list</c>: a run's results, every page (DESIGN §3.5).</summary>
public static class ResultsCommands
{
    public static Command Build(CommandKit kit)
    {
        var run = new Option<string>("--run") { Description = "The run (wftestrun_…)", Required = true };
        var verdict = new Option<string?>("--verdict") { Description = "Only results with this verdict" };
        verdict.AcceptOnlyFromAmong("passed", "failed", "blocked");
        var status = new Option<string?>("--status") { Description = "Only results in this lifecycle status" };
        status.AcceptOnlyFromAmong("pending", "queued", "running", "completed", "error", "cancelled");
        var json = CommandKit.JsonOption();
        var list = new Command("list", "List a run's results") { run, verdict, status, json };
        list.SetAction(async parse =>
        {
            using var client = kit.Connect(parse);
            var query = new Dictionary<string, string?>
            {
                ["run_id"] = parse.GetValue(run), ["verdict"] = parse.GetValue(verdict), ["status"] = parse.GetValue(status),
            };
            var results = await client.ListAllAsync("v1/workflows/tests/results", query, null, CancellationToken.None);
            return kit.Print(parse.GetValue(json), new JsonArray(results.Select(result => (JsonNode)result.DeepClone()).ToArray()), _ =>
            {
                var table = CommandKit.List("ID", "Test", "Block", "Status", "Verdict", "Code", "Expected", "Actual", "ms");
                foreach (var result in results)
                {
                    var row = ResultRow.From(result, new Dictionary<string, string>());
                    table.AddRow(Cells.Of(result.Str("id"), result.Str("test_id"), row.BlockId, row.Lifecycle, row.Verdict, row.Code,
                        RunReport.Shorten(row.Expected ?? ""), RunReport.Shorten(row.Actual ?? ""), row.DurationMs?.ToString()));
                }
                return table;
            });
        });
        var results = new Command("results", "Read the results of test runs");
        results.Subcommands.Add(list);
        return results;
    }
}
