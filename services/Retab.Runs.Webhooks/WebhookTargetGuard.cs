using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Retab.Runs.Core.Webhooks;

namespace Retab.Runs.Webhooks;

/// <summary>
/// Keeps webhook targets on the public internet (unless <see cref="WebhookOptions.AllowPrivateTargets"/>): a URL is
/// checked when a webhook is created (every address its host resolves to must be public), and every connection a send
/// makes is checked again on the address it actually connects to (<see cref="ConnectAsync"/>), so a host name that
/// resolves elsewhere later (DNS rebinding) still cannot reach an inside address.
/// </summary>
public sealed class WebhookTargetGuard(IOptions<WebhookOptions> options)
{
    private bool AllowPrivate => options.Value.AllowPrivateTargets;

    /// <summary>Why the URL may not be a webhook target, or null when it may. Sends nothing.</summary>
    public async Task<string?> ProblemWithAsync(string text, CancellationToken cancellationToken)
    {
        var (url, problem) = WebhookUrls.Parse(text);
        if (problem is not null || AllowPrivate)
            return problem;
        IPAddress[] addresses;
        if (IPAddress.TryParse(url!.IdnHost.Trim('[', ']'), out var literal))
            addresses = [literal];
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken);
            }
            catch (SocketException)
            {
                return $"URL host '{url.Host}' does not resolve";
            }
        }
        return addresses.Length == 0 ? $"URL host '{url.Host}' does not resolve"
            : addresses.All(WebhookUrls.IsPublic) ? null
            : $"URL host '{url.Host}' is a private, loopback or link-local address; set Webhooks:AllowPrivateTargets to allow it";
    }

    /// <summary>
    /// The connection of a send (<see cref="SocketsHttpHandler.ConnectCallback"/>): resolves the host, keeps only public
    /// addresses (unless private ones are allowed), and connects to the first that answers.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => AllowPrivate || WebhookUrls.IsPublic(a)).ToList();
        if (allowed.Count == 0)
            throw new RefusedTargetException($"'{host}' resolves only to private, loopback or link-local addresses.");

        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException error)
            {
                socket.Dispose();
                last = error;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}

/// <summary>A send refused because its target is not a public address.</summary>
public sealed class RefusedTargetException(string message) : Exception(message);
