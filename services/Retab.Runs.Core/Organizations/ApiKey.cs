using System.Security.Cryptography;
using System.Text;
using Retab.Runs.Core.Common;

namespace Retab.Runs.Core.Organizations;

/// <summary>
/// An API key of one organization. Only the secret's SHA-256 is stored, so a leaked database does not leak keys;
/// <see cref="Prefix"/> (the secret's first characters) lets a person tell keys apart in a list.
/// </summary>
public sealed record ApiKey(
    string Id,
    string KeyHash,
    string OrganizationId,
    string? Name,
    string Prefix,
    ApiKeyOrigin Origin,
    DateTimeOffset CreatedAt)
{
    public const int PrefixLength = 6;

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A new secret key: <c>rr_</c> + 40 random URL-safe chars.</summary>
    public static string NewSecret()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return "rr_" + RandomNumberGenerator.GetString(alphabet, 40);
    }

    /// <summary>The stored form of <paramref name="secret"/>, with a new <c>key_…</c> id.</summary>
    public static ApiKey Create(string secret, string organizationId, string? name, ApiKeyOrigin origin, DateTimeOffset at) =>
        new(ResourceIds.New(ResourceIds.ApiKey, at), Hash(secret), organizationId, name, secret[..Math.Min(PrefixLength, secret.Length)], origin, at);
}
