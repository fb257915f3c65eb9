namespace Retab.Runs.Core.Files;

public enum FileStatus { Pending, Complete }

/// <summary>
/// An uploaded file of one organization. It starts as a <see cref="FileStatus.Pending"/> upload session (what the
/// client declared) and becomes <see cref="FileStatus.Complete"/> once its bytes were checked: from then on it is
/// immutable, which is what lets workers cache its content.
/// </summary>
public sealed record StoredFile
{
    public required string Id { get; init; }
    public required string OrganizationId { get; init; }
    public required string Filename { get; init; }

    /// <summary>What the client said the content is; never trusted, only a hint for text flavours (CSV, Markdown, JSON).</summary>
    public string? DeclaredContentType { get; init; }

    /// <summary>The type sniffed from the bytes; null while pending.</summary>
    public string? MimeType { get; init; }

    /// <summary>Declared at upload start; the actual size once complete.</summary>
    public required long SizeBytes { get; init; }

    /// <summary>Lower-case hex; declared (optional) at upload start, the actual digest once complete.</summary>
    public string? Sha256 { get; init; }

    public int? PageCount { get; init; }
    public FileStatus Status { get; init; } = FileStatus.Pending;
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Until when the signed upload URL accepts bytes.</summary>
    public required DateTimeOffset UploadExpiresAt { get; init; }

    public bool IsComplete => Status == FileStatus.Complete;
}
