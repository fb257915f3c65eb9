namespace Retab.Runs.Contracts;

/// <summary>The content of a complete file: the text of each page, or for an image its bytes (and no pages).</summary>
public sealed record DocumentContentFound
{
    public required string OrganizationId { get; init; }
    public required string FileId { get; init; }
    public required string Filename { get; init; }
    public required string MimeType { get; init; }
    public required IReadOnlyList<string> Pages { get; init; }
    public byte[]? Image { get; init; }
}
