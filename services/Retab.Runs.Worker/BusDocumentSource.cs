using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Documents;

namespace Retab.Runs.Worker;

/// <summary>
/// Reads documents over the bus: a <see cref="GetDocumentContent"/> request answered by the orchestrator, which holds
/// the store (workers hold no database credentials and run untrusted code). Answers are cached by <see cref="DocumentCache"/>.
/// </summary>
public sealed class BusDocumentSource(IServiceScopeFactory scopes, DocumentCache cache, IOptions<WorkerOptions> options) : IDocumentSource
{
    public async Task<DocumentContent?> GetAsync(string organizationId, string fileId, CancellationToken cancellationToken)
    {
        if (cache.Get(organizationId, fileId) is { } cached)
            return cached;

        // MassTransit's request clients are scoped; a scope per uncached read is cheap next to the round trip.
        await using var scope = scopes.CreateAsyncScope();
        var client = scope.ServiceProvider.GetRequiredService<IRequestClient<GetDocumentContent>>();
        var response = await client.GetResponse<DocumentContentFound, DocumentUnavailable>(
            new GetDocumentContent { OrganizationId = organizationId, FileId = fileId }, cancellationToken,
            RequestTimeout.After(ms: (int)options.Value.DocumentRequestTimeout.TotalMilliseconds));
        if (response.Is(out Response<DocumentUnavailable>? unavailable))
        {
            return unavailable.Message.Code == DocumentUnavailable.NotFound
                ? null
                : throw new DocumentUnavailableException(unavailable.Message.Code, unavailable.Message.Message);
        }

        if (!response.Is(out Response<DocumentContentFound>? answer))
            throw new InvalidOperationException($"Unexpected answer to {nameof(GetDocumentContent)}: {response.Message.GetType().Name}.");
        var found = answer.Message;
        var content = new DocumentContent(found.FileId, found.Filename, found.MimeType, found.Pages, found.Image);
        cache.Add(organizationId, fileId, content);
        return content;
    }
}

