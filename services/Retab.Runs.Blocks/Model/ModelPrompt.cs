using System.Text;
using Microsoft.Extensions.AI;

namespace Retab.Runs.Blocks.Model;

/// <summary>
/// The messages of one block call: the block's task (plus the user's <c>instructions</c>) as the system message, the
/// input as the user message. Pages are labelled by number so split answers can name them; an image goes as image
/// content for a vision-capable model.
/// </summary>
internal static class ModelPrompt
{
    public static List<ChatMessage> Messages(string task, string? instructions, BlockInput input)
    {
        var system = string.IsNullOrWhiteSpace(instructions) ? task : $"{task}\n\nInstructions from the user:\n{instructions}";
        return [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, Contents(input))];
    }

    private static List<AIContent> Contents(BlockInput input)
    {
        if (input.Document is not { } document)
            return [new TextContent($"Input:\n{input.Text}")];
        if (document.Image is { } image)
            return [new TextContent($"Document '{document.Filename}' (one page, an image):"), new DataContent(image, document.MimeType)];

        var text = new StringBuilder($"Document '{document.Filename}', {document.Pages.Count} page(s). Each page starts with a line '--- Page N ---'.\n");
        for (var i = 0; i < document.Pages.Count; i++)
            text.Append("\n--- Page ").Append(i + 1).Append(" ---\n").Append(document.Pages[i]).Append('\n');
        return [new TextContent(text.ToString())];
    }
}
