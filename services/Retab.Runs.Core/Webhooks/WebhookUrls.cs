using System.Net;

namespace Retab.Runs.Core.Webhooks;

/// <summary>
/// Which targets a webhook may send to. The shape of the URL is checked here; whether its host is a public address is
/// decided by <see cref="IsPublic"/>, applied to every address the host resolves to when the webhook is created and
/// again to the address a send actually connects to (so a name that later resolves inward — DNS rebinding — is refused).
/// </summary>
public static class WebhookUrls
{
    public const int MaxLength = 2048;

    /// <summary>The absolute http(s) URL, or why it is refused.</summary>
    public static (Uri? Url, string? Problem) Parse(string text)
    {
        if (text.Length > MaxLength)
            return (null, $"URL should have at most {MaxLength} characters");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
            return (null, "URL should be an absolute http or https URL");
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            return (null, "URL scheme should be http or https");
        if (string.IsNullOrEmpty(url.Host))
            return (null, "URL should be an absolute http or https URL with a host");
        if (!string.IsNullOrEmpty(url.UserInfo))
            return (null, "URL should not hold credentials");
        return (url, null);
    }

    /// <summary>
    /// False for addresses that reach inside a network rather than the internet: unspecified, loopback, private
    /// (RFC 1918), carrier-grade NAT, link-local (cloud metadata lives there), unique-local, multicast, broadcast and
    /// reserved ranges — also when written as IPv4-mapped, IPv4-compatible or NAT64 IPv6.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && EmbeddedIPv4(address) is { } v4)
            return IsPublic(v4);
        var bytes = address.GetAddressBytes();
        return bytes.Length == 4 ? IsPublicV4(bytes) : IsPublicV6(address, bytes);
    }

    private static bool IsPublicV4(byte[] b) => !(
        b[0] == 0                                   // "this network", 0.0.0.0
        || b[0] == 10                               // private
        || b[0] == 127                              // loopback
        || (b[0] == 100 && (b[1] & 0xC0) == 64)     // carrier-grade NAT 100.64/10
        || (b[0] == 169 && b[1] == 254)             // link-local (169.254.169.254: cloud metadata)
        || (b[0] == 172 && (b[1] & 0xF0) == 16)     // private 172.16/12
        || (b[0] == 192 && b[1] == 168)             // private
        || (b[0] == 192 && b[1] == 0 && b[2] == 0)  // IETF protocol assignments
        || (b[0] == 198 && (b[1] & 0xFE) == 18)     // benchmarking 198.18/15
        || b[0] >= 224);                            // multicast, reserved, broadcast

    private static bool IsPublicV6(IPAddress address, byte[] b) => !(
        address.Equals(IPAddress.IPv6Any)
        || address.Equals(IPAddress.IPv6Loopback)
        || b[0] == 0xFF                             // multicast
        || (b[0] & 0xFE) == 0xFC                    // unique-local fc00::/7
        || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80)  // link-local fe80::/10
        || (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0)  // site-local fec0::/10 (deprecated, still routed inward)
        || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)); // documentation 2001:db8::/32

    /// <summary>The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) address.</summary>
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            return address.MapToIPv4();
        var b = address.GetAddressBytes();
        var tail = new IPAddress(b[12..16]);
        if (b[..12].All(x => x == 0) && !address.Equals(IPAddress.IPv6Any) && !address.Equals(IPAddress.IPv6Loopback))
            return tail;
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..12].All(x => x == 0))
            return tail;
        return null;
    }
}
