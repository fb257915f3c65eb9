namespace Retab.Runs.Core.Documents;

/// <summary>
/// Where a worker reads the files a test's inputs name. Workers hold no database credentials, so the implementation
/// asks a service that does; files are immutable once uploaded, so content may be cached.
/// </summary>
public interface IDocumentSource
{
    /// <returns>The file's content, or null when the organization has no such file.</returns>
    Task<DocumentContent?> GetAsync(string organizationId, string fileId, CancellationToken cancellationToken);
}
