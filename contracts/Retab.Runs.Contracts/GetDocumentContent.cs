namespace Retab.Runs.Contracts;

/// <summary>
/// A worker asks for the content of a file a test's inputs name (request/response: answered with
/// <see cref="DocumentContentFound"/> or <see cref="DocumentUnavailable"/>). Workers hold no database credentials;
/// the orchestrator, which does, answers. Scoped to the organization that owns the test.
/// </summary>
public sealed record GetDocumentContent
{
    public required string OrganizationId { get; init; }
    public required string FileId { get; init; }
}
