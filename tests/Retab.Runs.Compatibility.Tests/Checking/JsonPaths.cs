namespace Retab.Runs.Compatibility.Tests.Checking;

/// <summary>JSON Pointers walked over JSON nodes, and shown as the dotted paths a developer reads (<c>data[0].target</c>).</summary>
public static class JsonPaths
{
    /// <summary>The segments of a JSON Pointer (<c>/data/0/a~1b</c> → data, 0, a/b).</summary>
    public static IEnumerable<string> Segments(string pointer) =>
        pointer.Length == 0 ? [] : pointer[1..].Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~"));

    public static JsonNode? Walk(JsonNode? node, IEnumerable<string> segments) =>
        segments.Aggregate(node, Step);

    public static JsonNode? Step(JsonNode? node, string segment) => node switch
    {
        JsonObject o => o[segment],
        JsonArray a when int.TryParse(segment, out var i) && i >= 0 && i < a.Count => a[i],
        _ => null,
    };

    public static string FieldPath(string pointer)
    {
        var path = "";
        foreach (var segment in Segments(pointer))
            path = int.TryParse(segment, out _) ? $"{path}[{segment}]" : Join(path, segment);
        return path.Length == 0 ? "(document)" : path;
    }

    public static string Join(string path, string name) => path is "" or "(document)" ? name : $"{path}.{name}";
}
