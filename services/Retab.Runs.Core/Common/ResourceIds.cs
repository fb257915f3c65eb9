using System.Security.Cryptography;

namespace Retab.Runs.Core.Common;

/// <summary>
/// Resource ids: <c>prefix_</c> + 10 chars of millisecond time + 22 random chars.
/// The time part makes ids sort by creation (cursor pagination is by id); the random part
/// (lowercase base-36, ~113 bits) makes them unguessable. Lowercase only, so case-insensitive
/// collations cannot make two ids collide.
/// </summary>
public static class ResourceIds
{
    public const string Workflow = "wf";
    public const string Block = "block";
    public const string Test = "wfnodetest";
    public const string Run = "wftestrun";
    public const string Result = "wfnodetestrun";
    public const string Assertion = "assert";
    public const string Organization = "org";
    public const string File = "file";
    public const string ApiKey = "key";
    public const string Webhook = "wh";

    /// <summary>A webhook delivery: its id is the <c>Webhook-Id</c> header, the same on every retry (Standard Webhooks).</summary>
    public const string WebhookMessage = "msg";

    private const string TimeAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32: sorts like the number
    private const string RandomAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    public static string New(string prefix) => New(prefix, DateTimeOffset.UtcNow);

    public static string New(string prefix, DateTimeOffset at)
    {
        Span<char> id = stackalloc char[32];
        var ms = (ulong)at.ToUnixTimeMilliseconds();
        for (var i = 9; i >= 0; i--)
        {
            id[i] = TimeAlphabet[(int)(ms & 31)];
            ms >>= 5;
        }
        for (var i = 10; i < 32; i++)
            id[i] = RandomAlphabet[RandomNumberGenerator.GetInt32(RandomAlphabet.Length)];
        return $"{prefix}_{id}";
    }

    public static bool HasPrefix(string? id, string prefix) =>
        id is not null && id.Length > prefix.Length + 1 && id.StartsWith(prefix + "_", StringComparison.Ordinal);
}
