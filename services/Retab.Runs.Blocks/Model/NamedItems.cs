using System.Text.Json.Nodes;

namespace Retab.Runs.Blocks.Model;

/// <summary>Reads a config list of <c>{name, description?, …}</c> (classifier categories, split subdocuments): names present, unique, non-empty.</summary>
internal static class NamedItems
{
    public sealed record Item(string Name, string Description, JsonObject Raw);

    public static (IReadOnlyList<Item>? Items, string? Error) Read(JsonObject config, string key)
    {
        if (config[key] is not JsonArray array || array.Count == 0)
            return (null, $"'{key}' must be a non-empty list of {{name, description}}.");
        var items = new List<Item>();
        foreach (var node in array)
        {
            if (node is not JsonObject obj || obj["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name) || string.IsNullOrWhiteSpace(name))
                return (null, $"Every item of '{key}' needs a non-empty 'name'; got {node?.ToJsonString() ?? "null"}.");
            if (items.Any(i => i.Name == name))
                return (null, $"'{key}' names '{name}' twice.");
            var description = obj["description"] is JsonValue d && d.TryGetValue<string>(out var text) ? text : "";
            items.Add(new Item(name, description, obj));
        }
        return (items, null);
    }

    public static string Describe(IEnumerable<Item> items) =>
        string.Join("\n", items.Select(i => string.IsNullOrWhiteSpace(i.Description) ? $"- {i.Name}" : $"- {i.Name}: {i.Description}"));
}
