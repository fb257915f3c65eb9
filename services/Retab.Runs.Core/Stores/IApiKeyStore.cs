using Retab.Runs.Core.Common;
using Retab.Runs.Core.Organizations;

namespace Retab.Runs.Core.Stores;

/// <summary>
/// Stored API keys, found by the SHA-256 of the secret a request presents. Nothing is cached: a deleted key is
/// refused from the next request on.
/// </summary>
public interface IApiKeyStore
{
    Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken = default);

    /// <summary>Stores a new key; false when a key with the same hash is stored already (that one is kept).</summary>
    Task<bool> InsertAsync(ApiKey key, CancellationToken cancellationToken = default);

    /// <summary>Replaces the stored key with the same id (its organization, name or origin changed); false when it is gone.</summary>
    Task<bool> UpdateAsync(ApiKey key, CancellationToken cancellationToken = default);

    /// <summary>Deletes (revokes) the key with this id; false when there is none.</summary>
    Task<bool> DeleteAsync(string keyId, CancellationToken cancellationToken = default);

    /// <summary>The keys of one organization, or of every organization when <paramref name="organizationId"/> is null, paged by id (creation order).</summary>
    Task<Page<ApiKey>> ListAsync(string? organizationId, PageRequest page, CancellationToken cancellationToken = default);

    Task<bool> AnyAsync(CancellationToken cancellationToken = default);
}
