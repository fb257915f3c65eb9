namespace Retab.Runs.Core.Documents;

/// <summary>
/// What a model-backed block reads of an uploaded file: the text of each page (PDF pages; one page for text, CSV,
/// Markdown and JSON), or, for an image, its bytes to pass to a vision-capable model.
/// </summary>
public sealed record DocumentContent(string FileId, string Filename, string MimeType, IReadOnlyList<string> Pages, byte[]? Image = null)
{
    public int PageCount => Image is null ? Pages.Count : 1;
}
