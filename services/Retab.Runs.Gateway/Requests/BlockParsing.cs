using System.Text.Json;
using System.Text.Json.Nodes;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Validation;
using Retab.Runs.Core.Workflows;
using Retab.Runs.Gateway.Http;

namespace Retab.Runs.Gateway.Requests;

/// <summary>Reads the blocks of a draft: <c>[{id?, type, name?, config?}]</c>.</summary>
public static class BlockParsing
{
    private static readonly string[] BlockKeys = ["id", "type", "name", "config"];

    public static List<Block> ParseBlocks(BodyReader reader, JsonArray items, params object[] at)
    {
        var blocks = new List<Block>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            object[] itemAt = [.. at, i];
            if (items[i] is not JsonObject item)
            {
                reader.Add(new FieldError(["body", .. itemAt], "Input should be a valid dictionary", "dict_type"));
                continue;
            }
            reader.RejectUnknownKeys(item, BlockKeys, itemAt);
            var id = reader.OptionalString(item, "id", itemAt) ?? ResourceIds.New(ResourceIds.Block);
            var type = reader.RequiredString(item, "type", itemAt);
            var name = reader.OptionalString(item, "name", itemAt);
            var config = reader.OptionalObject(item, "config", itemAt) ?? [];
            if (!ids.Add(id))
                reader.Add(new FieldError(BodyReader.Loc("id", itemAt), $"Block id '{id}' appears more than once", "value_error"));
            if (type is not null && !BlockTypes.All.Contains(type))
                reader.Add(new FieldError(BodyReader.Loc("type", itemAt),
                    $"Input should be {string.Join(", ", BlockTypes.All.Select(t => $"'{t}'"))}", "literal_error"));
            if (type == BlockTypes.Function)
                ValidateFunctionConfig(reader, config, [.. itemAt, "config"]);
            if (type is not null)
                blocks.Add(new Block(id, type, name ?? type, config.DeepClone().AsObject()));
        }
        return blocks;
    }

    public static void ValidateFunctionConfig(BodyReader reader, JsonObject config, object[] at)
    {
        reader.RequiredString(config, "code", at);
        if (config["timeout_ms"] is { } timeout && (timeout.GetValueKind() != JsonValueKind.Number || !timeout.AsValue().TryGetValue<int>(out var ms) || ms <= 0))
            reader.Add(new FieldError(BodyReader.Loc("timeout_ms", at), "Input should be a positive integer", "int_type"));
    }
}
