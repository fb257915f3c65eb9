using System.Security.Cryptography;
using System.Text;

namespace Retab.Runs.Core.Webhooks;

/// <summary>
/// The Standard Webhooks signature: HMAC-SHA256, keyed with the secret's bytes, over <c>{id}.{timestamp}.{body}</c>,
/// sent as <c>Webhook-Signature: v1,{base64}</c> next to <c>Webhook-Id</c> and <c>Webhook-Timestamp</c> (Unix seconds).
/// Receivers recompute it to know the body came from us, unchanged, and (by the timestamp) recently.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "Webhook-Id";
    public const string TimestampHeader = "Webhook-Timestamp";
    public const string SignatureHeader = "Webhook-Signature";
    public const string Version = "v1";

    public static string Sign(byte[] key, string messageId, long timestamp, string body)
    {
        var signed = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}");
        return $"{Version},{Convert.ToBase64String(HMACSHA256.HashData(key, signed))}";
    }

    /// <summary>
    /// Whether one of the space-separated signatures of <paramref name="header"/> matches (a receiver may see several
    /// while a secret rotates), compared in constant time.
    /// </summary>
    public static bool Verify(byte[] key, string messageId, long timestamp, string body, string header)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(key, messageId, timestamp, body));
        return header.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(candidate => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected));
    }
}
