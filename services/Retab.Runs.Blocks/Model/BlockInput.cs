using System.Text.Json.Nodes;
using Retab.Runs.Core.Documents;

namespace Retab.Runs.Blocks.Model;

/// <summary>What a model-backed block reads: a document (its pages or image) or, for extract, text/JSON.</summary>
internal sealed record BlockInput(DocumentContent? Document, string? Text)
{
    /// <summary>The <c>{id, filename, mime_type}</c> reference routed outputs carry.</summary>
    public JsonObject DocumentReference() => Document is { } d
        ? new JsonObject { ["id"] = d.FileId, ["filename"] = d.Filename, ["mime_type"] = d.MimeType }
        : throw new InvalidOperationException("The input is not a document.");
}
