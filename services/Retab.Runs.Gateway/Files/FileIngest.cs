using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Files;
using Retab.Runs.Core.Stores;
using Retab.Runs.Documents;

namespace Retab.Runs.Gateway.Files;

/// <summary>
/// Turns a pending upload with content into a complete file: the size and SHA-256 are checked against what the client
/// declared, the type is sniffed from the bytes and the page texts extracted, then the store completes it (once).
/// Both upload paths (signed PUT + complete, and one-step multipart) end here.
/// </summary>
public sealed class FileIngest(IFileStore files, IOptions<FilesOptions> options, TimeProvider time)
{
    /// <returns>The complete file, or the error to answer.</returns>
    public async Task<(StoredFile? File, IResult? Error)> CompleteAsync(StoredFile file, string? sha256, CancellationToken cancellationToken)
    {
        if (file.IsComplete)
            return sha256 is not null && !sha256.Equals(file.Sha256, StringComparison.OrdinalIgnoreCase) ? (null, FileErrors.ShaMismatch(file.Sha256!)) : (file, null);

        var content = await files.ReadContentAsync(file.OrganizationId, file.Id, cancellationToken);
        if (content is null)
            return (null, file.UploadExpiresAt < time.GetUtcNow() ? FileErrors.Expired(file.Id) : FileErrors.NoContent(file.Id));
        if (content.LongLength > options.Value.MaxBytes)
            return (null, FileErrors.TooLarge(options.Value.MaxBytes));
        if (content.LongLength != file.SizeBytes)
            return (null, FileErrors.SizeMismatch(file.SizeBytes, content.LongLength));
        var actual = Convert.ToHexStringLower(SHA256.HashData(content));
        var expected = sha256 ?? file.Sha256;
        if (expected is not null && !expected.Equals(actual, StringComparison.OrdinalIgnoreCase))
            return (null, FileErrors.ShaMismatch(actual));

        var inspection = DocumentInspector.Inspect(content, file.Filename, file.DeclaredContentType);
        switch (inspection.Failure)
        {
            case InspectionFailure.Unsupported:
                return (null, FileErrors.Unsupported(inspection.Message!));
            case InspectionFailure.Unreadable:
                return (null, FileErrors.Unreadable(inspection.Message!));
        }

        var facts = new FileFacts(inspection.MimeType!, content.LongLength, actual, inspection.PageCount, inspection.Pages);
        var completed = await files.CompleteAsync(file.OrganizationId, file.Id, facts, Clock.Now(time), cancellationToken);
        if (completed is not null)
            return (completed, null);
        // Another request completed it first (a retried call): the same bytes, so the same answer.
        return await files.GetAsync(file.OrganizationId, file.Id, cancellationToken) is { IsComplete: true } winner
            ? (winner, null)
            : (null, FileErrors.NotFound(file.Id));
    }
}
