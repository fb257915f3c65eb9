using System.Net;
using System.Net.Sockets;

namespace Retab.Runs.Cli.Tests;

/// <summary>A loopback port nothing listens on: bound by the OS for a moment, then released.</summary>
public static class ClosedPort
{
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
