using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Common;

namespace Retab.Runs.Gateway.Files;

public enum UrlPurpose { Upload, Download }

public enum SignatureCheck { Valid, Forged, Expired }

/// <summary>
/// Signs the short-lived URLs through which bytes go up and down. The signature (HMAC-SHA256 over purpose,
/// organization, file id and expiry) is the only authorization those routes have: they sit outside the API-key
/// filter, so a client can hand the URL to a browser or a storage tool without its API key.
/// </summary>
public sealed class UrlSigner
{
    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public UrlSigner(IOptions<FilesOptions> options, TimeProvider time)
    {
        _key = KeyFrom(options.Value);
        _time = time;
    }

    public string Sign(UrlPurpose purpose, string organizationId, string fileId, DateTimeOffset expiresAt) =>
        Convert.ToBase64String(Mac(purpose, organizationId, fileId, expiresAt.ToUnixTimeSeconds()))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The query string of a signed URL: <c>organization_id</c>, <c>expires</c> (Unix seconds), <c>signature</c>.</summary>
    public string Query(UrlPurpose purpose, string organizationId, string fileId, DateTimeOffset expiresAt) =>
        $"organization_id={Uri.EscapeDataString(organizationId)}&expires={expiresAt.ToUnixTimeSeconds()}&signature={Sign(purpose, organizationId, fileId, expiresAt)}";

    public SignatureCheck Check(UrlPurpose purpose, string? organizationId, string fileId, string? expires, string? signature)
    {
        if (string.IsNullOrEmpty(organizationId) || signature is null || !long.TryParse(expires, out var expiresAt))
            return SignatureCheck.Forged;
        var expected = Sign(purpose, organizationId, fileId, DateTimeOffset.FromUnixTimeSeconds(expiresAt));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
            return SignatureCheck.Forged;
        return _time.GetUtcNow().ToUnixTimeSeconds() > expiresAt ? SignatureCheck.Expired : SignatureCheck.Valid;
    }

    private byte[] Mac(UrlPurpose purpose, string organizationId, string fileId, long expiresAt) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{purpose}\n{organizationId}\n{fileId}\n{expiresAt}"));

    private static byte[] KeyFrom(FilesOptions options)
    {
        if (!string.IsNullOrEmpty(options.SigningKey))
            return Encoding.UTF8.GetBytes(options.SigningKey);
        if (string.IsNullOrEmpty(options.SigningKeyFile))
            return RandomNumberGenerator.GetBytes(32);
        // Readable by the service's user only, like the generated API key: whoever reads it can mint upload URLs.
        if (File.Exists(options.SigningKeyFile))
        {
            PrivateFiles.Tighten(options.SigningKeyFile);
            return Convert.FromBase64String(File.ReadAllText(options.SigningKeyFile).Trim());
        }

        var key = RandomNumberGenerator.GetBytes(32);
        PrivateFiles.CreateFolder(Path.GetDirectoryName(Path.GetFullPath(options.SigningKeyFile))!);
        using (var writer = new StreamWriter(options.SigningKeyFile, Encoding.ASCII, PrivateFiles.NewFile()))
            writer.Write(Convert.ToBase64String(key));
        return key;
    }
}
