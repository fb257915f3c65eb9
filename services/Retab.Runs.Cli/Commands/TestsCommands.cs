using System.CommandLine;
using System.Text.Json.Nodes;
using Retab.Runs.Cli.Api;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Retab.Runs.Cli.Commands;

/// <summary><c>tests list|get|create|delete</c>: saved tests (DESIGN §3.3).</summary>
public static class TestsCommands
{
    private const string Tests = "v1/workflows/tests";

    public static Command Build(CommandKit kit)
    {
        var tests = new Command("tests", "Manage saved workflow tests");
        tests.Subcommands.Add(List(kit));
        tests.Subcommands.Add(kit.GetCommand(Tests, "TEST_ID", "wfnodetest_…", "Show a test", TestDetails));
        tests.Subcommands.Add(kit.CreateCommand(Tests, "Save a test", "The JSON body of POST /v1/workflows/tests", TestDetails));
        tests.Subcommands.Add(Delete(kit));
        return tests;
    }

    private static Command List(CommandKit kit)
    {
        var workflow = new Option<string>("--workflow") { Description = "The workflow (wf_…)", Required = true };
        var block = new Option<string?>("--block") { Description = "Only the tests of this block" };
        var json = CommandKit.JsonOption();
        var command = new Command("list", "List a workflow's tests") { workflow, block, json };
        command.SetAction(async parse =>
        {
            using var client = kit.Connect(parse);
            var query = new Dictionary<string, string?> { ["workflow_id"] = parse.GetValue(workflow), ["target_block_id"] = parse.GetValue(block) };
            var tests = await client.ListAllAsync(Tests, query, null, CancellationToken.None);
            return kit.Print(parse.GetValue(json), new JsonArray(tests.Select(test => (JsonNode)test.DeepClone()).ToArray()), _ =>
            {
                var table = CommandKit.List("ID", "Name", "Block", "Condition", "Last run", "Freshness");
                foreach (var test in tests)
                    table.AddRow(Cells.Of(test.Str("id"), test.Str("name"), test.Str("target", "block_id"), test.Str("assertion", "condition", "kind"),
                        test.Str("latest_run_summary", "outcome") ?? test.Str("latest_run_summary", "status") ?? "never", test.Str("freshness", "status")));
                return table;
            });
        });
        return command;
    }

    private static Command Delete(CommandKit kit)
    {
        var id = new Argument<string>("TEST_ID") { Description = "wfnodetest_…" };
        var command = new Command("delete", "Delete a test") { id };
        command.SetAction(async parse =>
        {
            using var client = kit.Connect(parse);
            var testId = parse.GetValue(id)!;
            await client.DeleteAsync($"{Tests}/{CommandKit.Path(testId)}", CancellationToken.None);
            kit.Context.Console.WriteLine($"Deleted test {testId}.", Style.Plain);
            return ExitCodes.Success;
        });
        return command;
    }

    private static IRenderable TestDetails(JsonNode test) => CommandKit.Details(
        ("id", test.Str("id")),
        ("name", test.Str("name")),
        ("workflow", test.Str("workflow_id")),
        ("block", test.Str("target", "block_id")),
        ("assertion", $"{test.Str("assertion", "target", "output_handle_id")}{(test.Str("assertion", "target", "path") is { } path ? $" {path}" : "")} " +
                      $"{test.At("assertion", "condition")?.ToJsonString()}"),
        ("validation", test.Str("validation_status")),
        ("freshness", test.Str("freshness", "status")),
        ("last run", test.Str("latest_run_summary", "outcome") ?? test.Str("latest_run_summary", "status") ?? "never"),
        ("created", test.Str("created_at")));
}
