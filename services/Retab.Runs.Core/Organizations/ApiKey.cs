using System.Security.Cryptography;
using System.Text;

namespace Retab.Runs.Core.Organizations;

/// <summary>An API key; only its SHA-256 is stored, so a leaked database does not leak keys.</summary>
public sealed record ApiKey(string KeyHash, string OrganizationId, string Prefix, DateTimeOffset CreatedAt)
{
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A new secret key: <c>rr_</c> + 40 random URL-safe chars.</summary>
    public static string NewSecret()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return "rr_" + RandomNumberGenerator.GetString(alphabet, 40);
    }
}
