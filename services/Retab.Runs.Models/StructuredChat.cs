using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Retab.Runs.Models;

/// <summary>One chat call whose answer is constrained by a JSON schema (<c>response_format: json_schema</c>).</summary>
public static class StructuredChat
{
    public static async Task<StructuredReply> AskAsync(this IChatClient chat, IEnumerable<ChatMessage> messages, JsonObject schema, string schemaName, string? model, CancellationToken cancellationToken)
    {
        var options = new ChatOptions
        {
            ModelId = model,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonSerializer.SerializeToElement(schema), schemaName),
        };
        var response = await chat.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        return StructuredReply.Parse(response.Text ?? "");
    }
}

/// <summary>The model's text and, when it is JSON, the parsed value; the text is kept for failure reports.</summary>
public sealed record StructuredReply(string Raw, JsonNode? Json, string? ParseError)
{
    public bool IsJson => ParseError is null;

    public static StructuredReply Parse(string raw)
    {
        try
        {
            return new StructuredReply(raw, JsonNode.Parse(Unfenced(raw)), null);
        }
        catch (JsonException error)
        {
            return new StructuredReply(raw, null, error.Message);
        }
    }

    /// <summary>Some local servers wrap JSON in a Markdown code fence even under a JSON schema; the fence is not the answer.</summary>
    private static string Unfenced(string raw)
    {
        var text = raw.Trim();
        if (!text.StartsWith("```", StringComparison.Ordinal) || !text.EndsWith("```", StringComparison.Ordinal) || text.Length < 6)
            return text;
        var firstLineEnd = text.IndexOf('\n');
        return firstLineEnd < 0 ? text : text[(firstLineEnd + 1)..^3];
    }
}
