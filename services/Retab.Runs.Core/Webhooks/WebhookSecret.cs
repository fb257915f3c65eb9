using System.Security.Cryptography;

namespace Retab.Runs.Core.Webhooks;

/// <summary>
/// Signing secrets as the Standard Webhooks specification writes them: <c>whsec_</c> + the base64 of 24 to 64 random
/// bytes. The signature is keyed with the decoded bytes, not the text.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";
    public const int MinBytes = 24;
    public const int MaxBytes = 64;
    private const int GeneratedBytes = 32;

    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedBytes));

    /// <summary>The key bytes of <paramref name="secret"/>; false when it is not <c>whsec_</c> + base64 of 24–64 bytes.</summary>
    public static bool TryDecode(string? secret, out byte[] key)
    {
        key = [];
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var encoded = secret[Prefix.Length..];
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var length) || length is < MinBytes or > MaxBytes)
            return false;
        key = buffer[..length];
        return true;
    }

    public static byte[] Decode(string secret) =>
        TryDecode(secret, out var key) ? key : throw new FormatException($"A webhook secret is '{Prefix}' followed by the base64 of {MinBytes} to {MaxBytes} bytes.");
}
