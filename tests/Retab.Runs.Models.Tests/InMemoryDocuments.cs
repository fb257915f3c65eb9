using System.Collections.Concurrent;
using Retab.Runs.Core.Documents;

namespace Retab.Runs.Models.Tests;

/// <summary>Files per organization, as the real document source would serve them.</summary>
public sealed class InMemoryDocuments : IDocumentSource
{
    private readonly ConcurrentDictionary<(string Organization, string FileId), DocumentContent> _files = new();

    public DocumentContent Add(string organizationId, string fileId, params string[] pages)
    {
        var content = new DocumentContent(fileId, fileId + ".pdf", "application/pdf", pages);
        _files[(organizationId, fileId)] = content;
        return content;
    }

    public Task<DocumentContent?> GetAsync(string organizationId, string fileId, CancellationToken cancellationToken) =>
        Task.FromResult(_files.TryGetValue((organizationId, fileId), out var content) ? content : null);
}
