using System.CommandLine;
using System.Text.Json.Nodes;
using Retab.Runs.Cli.Api;
using Retab.Runs.Cli.Configuration;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Retab.Runs.Cli.Commands;

/// <summary>What every command shares: the connection options, the client they resolve to, and "table, or raw JSON".</summary>
public sealed class CommandKit(CliContext context)
{
    public CliContext Context => context;

    public Option<string?> BaseUrl { get; } = new("--base-url")
    {
        Description = $"The service's address (else ${SettingsResolver.BaseUrlVariable}, the config file, {SettingsResolver.DefaultBaseUrl})",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"The API key (else ${SettingsResolver.ApiKeyVariable}, the config file, ./data/api-key)",
        Recursive = true,
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print the raw JSON answer instead of a table" };

    public RetabRunsClient Connect(ParseResult parse)
    {
        var resolver = new SettingsResolver(context.Environment, context.HomeDirectory, context.WorkingDirectory);
        return new RetabRunsClient(resolver.Resolve(parse.GetValue(BaseUrl), parse.GetValue(ApiKey)), context.Handler);
    }

    /// <summary>Prints <paramref name="answer"/> as JSON with <c>--json</c>, else the table <paramref name="render"/> makes of it.</summary>
    public int Print(bool json, JsonNode answer, Func<JsonNode, IRenderable> render)
    {
        if (json)
            context.Out.WriteLine(answer.ToJsonString(Json.Indented));
        else
            context.Console.Write(render(answer));
        return ExitCodes.Success;
    }

    /// <summary><c>get ID</c>: the resource at <paramref name="collection"/>/ID, shown by <paramref name="details"/>.</summary>
    public Command GetCommand(string collection, string idName, string idExample, string description, Func<JsonNode, IRenderable> details)
    {
        var id = new Argument<string>(idName) { Description = idExample };
        var json = JsonOption();
        var command = new Command("get", description) { id, json };
        command.SetAction(async parse =>
        {
            using var client = Connect(parse);
            return Print(parse.GetValue(json), await client.GetAsync($"{collection}/{Path(parse.GetValue(id)!)}", CancellationToken.None), details);
        });
        return command;
    }

    /// <summary><c>create -f FILE</c>: posts the file's JSON to <paramref name="collection"/>, shows the answer by <paramref name="details"/>.</summary>
    public Command CreateCommand(string collection, string description, string bodyDescription, Func<JsonNode, IRenderable> details)
    {
        var file = new Option<string>("--file", "-f") { Description = $"{bodyDescription} (- for standard input)", Required = true };
        var json = JsonOption();
        var command = new Command("create", description) { file, json };
        command.SetAction(async parse =>
        {
            var body = ReadBody(parse.GetValue(file)!);
            using var client = Connect(parse);
            return Print(parse.GetValue(json), await client.PostAsync(collection, body, CancellationToken.None), details);
        });
        return command;
    }

    /// <summary>A JSON body from <c>-f FILE</c> (<c>-</c>: standard input).</summary>
    public static JsonNode ReadBody(string path)
    {
        string text;
        try
        {
            text = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot read {path}: {error.Message}");
        }
        try
        {
            return JsonNode.Parse(text) ?? throw new CliException($"{path} holds JSON null, not a request body.");
        }
        catch (System.Text.Json.JsonException error)
        {
            throw new CliException($"{path} is not valid JSON: {error.Message}");
        }
    }

    public static string Path(string id) => Uri.EscapeDataString(id);

    /// <summary>A two-column table of a resource's main fields.</summary>
    public static Table Details(params (string Name, string? Value)[] fields)
    {
        var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumns("Field", "Value");
        foreach (var (name, value) in fields)
            table.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value ?? ""));
        return table;
    }

    public static Table List(params string[] columns) => new Table().Border(TableBorder.Rounded).AddColumns(columns);
}
