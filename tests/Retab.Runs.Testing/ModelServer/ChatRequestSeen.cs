using System.Text.Json.Nodes;

namespace Retab.Runs.Testing.ModelServer;

/// <summary>A chat completion request as the loopback model server received it.</summary>
public sealed record ChatRequestSeen(JsonObject Body)
{
    public string? Model => Body["model"]?.GetValue<string>();

    /// <summary>The <c>json_schema.schema</c> of <c>response_format</c>.</summary>
    public JsonObject? Schema => Body["response_format"]?["json_schema"]?["schema"] as JsonObject;

    /// <summary>Every text part of every message, joined: what a test matches prompts on.</summary>
    public string Text => string.Join("\n", (Body["messages"] as JsonArray ?? []).SelectMany(TextsOf));

    /// <summary>How many image parts the messages carry.</summary>
    public int ImageCount => (Body["messages"] as JsonArray ?? [])
        .SelectMany(m => m?["content"] as JsonArray ?? [])
        .Count(part => part?["type"]?.GetValue<string>() == "image_url");

    private static IEnumerable<string> TextsOf(JsonNode? message) => message?["content"] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => [text],
        JsonArray parts => parts.Select(p => p?["text"]?.GetValue<string>()).OfType<string>(),
        _ => [],
    };
}
