using Retab.Runs.Core.Common;
using Retab.Runs.Core.Files;

namespace Retab.Runs.Core.Stores;

/// <summary>
/// Uploaded files: metadata, bytes and page texts. Every call is scoped to an organization; another organization's
/// file reads as absent. Bytes may only change while the upload is pending; completing is a conditional move that
/// happens once.
/// </summary>
public interface IFileStore
{
    /// <summary>Starts an upload session (<see cref="FileStatus.Pending"/>).</summary>
    Task InsertAsync(StoredFile file, CancellationToken cancellationToken = default);

    Task<StoredFile?> GetAsync(string organizationId, string fileId, CancellationToken cancellationToken = default);

    /// <summary>Complete files only, paged by id like every list.</summary>
    Task<Page<StoredFile>> ListAsync(string organizationId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Stores (or replaces) the uploaded bytes of a pending upload; false when the file is unknown or already complete.</summary>
    Task<bool> SaveContentAsync(string organizationId, string fileId, byte[] content, CancellationToken cancellationToken = default);

    /// <summary>The stored bytes, or null when none were uploaded (or the file is not the organization's).</summary>
    Task<byte[]?> ReadContentAsync(string organizationId, string fileId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves the page texts and the facts and marks the upload complete, if it is still pending and has content.
    /// Returns the completed file; null when it was unknown, had no content, or another call completed it first.
    /// </summary>
    Task<StoredFile?> CompleteAsync(string organizationId, string fileId, FileFacts facts, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The text of each page of a complete file; null when there is no such complete file.</summary>
    Task<IReadOnlyList<string>?> ReadPageTextsAsync(string organizationId, string fileId, CancellationToken cancellationToken = default);
}
