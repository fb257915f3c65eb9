using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions;

/// <summary>
/// How large a JSON schema gets once its local <c>$ref</c>s are followed, counted without compiling it. Eighteen
/// levels of <c>allOf: [{$ref: next}, {$ref: next}]</c> are 1.3 KB of text and 2^18 subschemas to a compiler: the
/// count stops at the budget, so refusing such a schema costs at most the budget's worth of steps. A reference back
/// into the subschema being expanded is recursion, which validators follow lazily; it is counted once, not unrolled.
/// </summary>
public static class SchemaComplexity
{
    /// <summary>
    /// The budget every schema is held to (<c>Limits:MaxSchemaNodes</c>). Process-wide, like the schema cache it
    /// protects; the service's start-up sets it from its settings.
    /// </summary>
    public static int MaxNodes { get; set; } = 10_000;

    /// <returns>The expanded node count, or <c>budget + 1</c> as soon as it passes the budget.</returns>
    public static int ExpandedNodes(JsonNode schema, int budget)
    {
        var count = 0;
        var pending = new Stack<(JsonNode Node, Chain? Refs)>();
        pending.Push((schema, null));
        while (pending.Count > 0)
        {
            var (node, refs) = pending.Pop();
            if (++count > budget)
                return count;
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, child) in obj)
                    {
                        if (key == "$ref" && JsonValues.TryGetString(child, out var reference))
                        {
                            if (!Chain.Contains(refs, reference) && Resolve(schema, reference) is { } target)
                                pending.Push((target, new Chain(reference, refs)));
                        }
                        else if (child is not null)
                        {
                            pending.Push((child, refs));
                        }
                    }
                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        if (item is not null)
                            pending.Push((item, refs));
                    }
                    break;
            }
        }
        return count;
    }

    /// <summary>A local JSON pointer (<c>#/$defs/a</c>); anchors and remote references are left to the compiler.</summary>
    private static JsonNode? Resolve(JsonNode root, string reference)
    {
        if (!reference.StartsWith('#'))
            return null;
        var node = root;
        foreach (var raw in reference[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var token = Uri.UnescapeDataString(raw).Replace("~1", "/").Replace("~0", "~");
            node = node switch
            {
                JsonObject obj => obj[token],
                JsonArray array when int.TryParse(token, out var index) && index >= 0 && index < array.Count => array[index],
                _ => null,
            };
            if (node is null)
                return null;
        }
        return node;
    }

    /// <summary>The references being expanded on the current path, as an immutable linked list (paths are short).</summary>
    private sealed record Chain(string Reference, Chain? Parent)
    {
        public static bool Contains(Chain? chain, string reference)
        {
            for (var link = chain; link is not null; link = link.Parent)
            {
                if (link.Reference == reference)
                    return true;
            }
            return false;
        }
    }
}
