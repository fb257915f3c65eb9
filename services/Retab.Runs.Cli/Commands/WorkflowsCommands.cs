using System.CommandLine;
using System.Text.Json.Nodes;
using Retab.Runs.Cli.Api;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Retab.Runs.Cli.Commands;

/// <summary><c>workflows list|get|create</c> (DESIGN §3.2).</summary>
public static class WorkflowsCommands
{
    private const string Workflows = "v1/workflows";

    public static Command Build(CommandKit kit)
    {
        var workflows = new Command("workflows", "Manage workflows");
        workflows.Subcommands.Add(List(kit));
        workflows.Subcommands.Add(kit.GetCommand(Workflows, "WORKFLOW_ID", "wf_…", "Show a workflow and its blocks", WorkflowDetails));
        workflows.Subcommands.Add(kit.CreateCommand(Workflows, "Create a workflow", "The JSON body of POST /v1/workflows: {name, blocks}", WorkflowDetails));
        return workflows;
    }

    private static Command List(CommandKit kit)
    {
        var json = CommandKit.JsonOption();
        var command = new Command("list", "List workflows") { json };
        command.SetAction(async parse =>
        {
            using var client = kit.Connect(parse);
            var workflows = await client.ListAllAsync(Workflows, new Dictionary<string, string?>(), null, CancellationToken.None);
            return kit.Print(parse.GetValue(json), new JsonArray(workflows.Select(workflow => (JsonNode)workflow.DeepClone()).ToArray()), _ =>
            {
                var table = CommandKit.List("ID", "Name", "Blocks", "Version", "Updated");
                foreach (var workflow in workflows)
                    table.AddRow(Cells.Of(workflow.Str("id"), workflow.Str("name"), BlocksOf(workflow).Count.ToString(),
                        VersionOf(workflow), workflow.Str("updated_at")));
                return table;
            });
        });
        return command;
    }

    private static IRenderable WorkflowDetails(JsonNode workflow)
    {
        var blocks = CommandKit.List("Block", "Type", "Name");
        foreach (var block in BlocksOf(workflow))
            blocks.AddRow(Cells.Of(block.Str("id"), block.Str("type"), block.Str("name")));
        return new Rows(
            CommandKit.Details(("id", workflow.Str("id")), ("name", workflow.Str("name")), ("version", VersionOf(workflow)),
                ("created", workflow.Str("created_at")), ("updated", workflow.Str("updated_at"))),
            blocks);
    }

    /// <summary>The draft's blocks, wherever this version of the service puts them.</summary>
    private static List<JsonObject> BlocksOf(JsonNode workflow) =>
        ((workflow["blocks"] ?? workflow.At("draft", "blocks")) as JsonArray ?? []).OfType<JsonObject>().ToList();

    private static string? VersionOf(JsonNode workflow) =>
        workflow.Str("version_id") ?? workflow.Str("draft", "version_id") ?? workflow.Str("draft_version_id");
}
