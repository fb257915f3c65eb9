namespace Retab.Runs.Gateway.OpenApi;

/// <summary>
/// Endpoint metadata: how a caller proves who it is, as the security schemes of the document name it (any one of
/// <see cref="SchemeIds"/>). Set next to the filter that enforces it, so the document cannot promise another gate.
/// </summary>
public sealed record EndpointSecurity(IReadOnlyList<string> SchemeIds, string? Note = null)
{
    public const string ApiKeyScheme = "ApiKey";
    public const string BearerScheme = "Bearer";
    public const string AdminKeyScheme = "AdminKey";
    public const string AdminBearerScheme = "AdminBearer";

    /// <summary><c>/v1</c>: an API key, in <c>Api-Key</c> or as a bearer token (<see cref="Auth.ApiKeyFilter"/>).</summary>
    public static readonly EndpointSecurity ApiKey = new([ApiKeyScheme, BearerScheme]);

    /// <summary><c>/admin</c>: the admin key, in <c>Admin-Key</c> or as a bearer token (<see cref="Auth.AdminKeyFilter"/>).</summary>
    public static readonly EndpointSecurity AdminKey = new([AdminKeyScheme, AdminBearerScheme]);

    /// <summary>Signed URLs: the query's signature is the authorization; no key is sent.</summary>
    public static readonly EndpointSecurity SignedUrl = new([], "Authorized by the signature in the URL (`organization_id`, `expires`, `signature`), which `/v1/files` hands out; no API key.");

    public bool IsPublic => SchemeIds.Count == 0;
}

/// <summary>Endpoint metadata: POSTs here honour <c>Idempotency-Key</c> (<see cref="Http.IdempotencyFilter"/>).</summary>
public sealed record IdempotentPosts
{
    public static readonly IdempotentPosts Instance = new();
}
