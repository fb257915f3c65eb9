using Retab.Runs.Core.Organizations;

namespace Retab.Runs.Core.Stores;

public interface IApiKeyStore
{
    Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken = default);

    Task InsertAsync(ApiKey key, CancellationToken cancellationToken = default);

    Task<bool> AnyAsync(CancellationToken cancellationToken = default);
}
