using Microsoft.Extensions.Options;
using Retab.Runs.Core.Stores;
using Retab.Runs.Gateway.Auth;

namespace Retab.Runs.Gateway.Files;

/// <summary>What the file routes need, bound as one <c>[AsParameters]</c> bundle.</summary>
public sealed class FileServices
{
    public required HttpContext Http { get; init; }
    public required IFileStore Files { get; init; }
    public required FileIngest Ingest { get; init; }
    public required UrlSigner Signer { get; init; }
    public required IOptions<FilesOptions> Options { get; init; }
    public required TimeProvider Time { get; init; }

    /// <summary>The caller's organization, on the routes behind API keys.</summary>
    public string OrganizationId => ApiKeyFilter.OrganizationOf(Http);

    public long MaxBytes => Options.Value.MaxBytes;

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>Scheme, host and path base the URLs handed out start with.</summary>
    public string BaseUrl => Options.Value.PublicBaseUrl is { Length: > 0 } configured
        ? configured.TrimEnd('/')
        : $"{Http.Request.Scheme}://{Http.Request.Host}{Http.Request.PathBase}";
}
