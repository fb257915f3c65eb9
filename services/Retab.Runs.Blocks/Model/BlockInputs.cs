using System.Text.Json.Nodes;
using Retab.Runs.Core.Documents;
using Retab.Runs.Core.Execution;

namespace Retab.Runs.Blocks.Model;

/// <summary>Reads a model-backed block's input handle: <c>input-file-document</c> through <see cref="IDocumentSource"/>, or <c>input-json-0</c>.</summary>
internal sealed class BlockInputs(IDocumentSource? documents)
{
    public const string DocumentHandle = "input-file-document";
    public const string JsonHandle = "input-json-0";

    /// <returns>The input, or a message for the user saying what is missing.</returns>
    public async Task<(BlockInput? Input, string? Error)> ReadAsync(string blockType, BlockRequest request, bool documentOnly, CancellationToken cancellationToken)
    {
        if (request.HandleInputs[DocumentHandle] is JsonObject fileInput)
            return await ReadDocumentAsync(request.OrganizationId, fileInput, cancellationToken).ConfigureAwait(false);
        if (!documentOnly && request.HandleInputs.TryGetPropertyValue(JsonHandle, out var jsonInput) && jsonInput is JsonObject json)
        {
            var data = json["data"];
            var text = data is JsonValue value && value.TryGetValue<string>(out var s) ? s : data?.ToJsonString() ?? "null";
            return (new BlockInput(null, text), null);
        }
        return (null, documentOnly
            ? $"The {blockType} block needs a document on '{DocumentHandle}'."
            : $"The {blockType} block needs a document on '{DocumentHandle}' or text/JSON on '{JsonHandle}'.");
    }

    private async Task<(BlockInput? Input, string? Error)> ReadDocumentAsync(string organizationId, JsonObject fileInput, CancellationToken cancellationToken)
    {
        if (fileInput["document"]?["id"] is not JsonValue idValue || !idValue.TryGetValue<string>(out var fileId) || fileId.Length == 0)
            return (null, $"'{DocumentHandle}' must be {{type: \"file\", document: {{id, filename, mime_type}}}}.");
        if (documents is null)
            return (null, "This worker has no document source configured, so it cannot read files.");
        DocumentContent? content;
        try
        {
            content = await documents.GetAsync(organizationId, fileId, cancellationToken).ConfigureAwait(false);
        }
        catch (DocumentUnavailableException unavailable)
        {
            return (null, $"The file '{fileId}' on '{DocumentHandle}' cannot be read by a worker: {unavailable.Message}");
        }
        return content is null
            ? (null, $"The file '{fileId}' on '{DocumentHandle}' was not found (deleted, or never uploaded by this organization).")
            : (new BlockInput(content, null), null);
    }
}
