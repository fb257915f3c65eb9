namespace Retab.Runs.Contracts;

/// <summary>
/// The file cannot be sent: <see cref="Code"/> <c>file_not_found</c> (unknown, another organization's, or not
/// complete) or <c>image_too_large</c> (over the orchestrator's <c>MaxDocumentImageBytes</c>).
/// </summary>
public sealed record DocumentUnavailable
{
    public const string NotFound = "file_not_found";
    public const string ImageTooLarge = "image_too_large";

    public required string OrganizationId { get; init; }
    public required string FileId { get; init; }
    public required string Code { get; init; }
    public required string Message { get; init; }
}
