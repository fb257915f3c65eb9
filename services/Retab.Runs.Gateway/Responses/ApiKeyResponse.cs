using Retab.Runs.Core.Organizations;

namespace Retab.Runs.Gateway.Responses;

/// <summary>A stored API key as the admin routes show it: never its secret, never its hash.</summary>
public sealed record ApiKeyResponse(string Id, string OrganizationId, string? Name, string Prefix, DateTimeOffset CreatedAt, ApiKeyOrigin Origin)
{
    public static ApiKeyResponse From(ApiKey key) => new(key.Id, key.OrganizationId, key.Name, key.Prefix, key.CreatedAt, key.Origin);
}

/// <summary>The answer to creating a key: the only time its secret (<see cref="Key"/>) is shown.</summary>
public sealed record CreatedApiKeyResponse(string Id, string OrganizationId, string? Name, string Prefix, DateTimeOffset CreatedAt, ApiKeyOrigin Origin, string Key)
{
    public static CreatedApiKeyResponse From(ApiKey key, string secret) =>
        new(key.Id, key.OrganizationId, key.Name, key.Prefix, key.CreatedAt, key.Origin, secret);
}
