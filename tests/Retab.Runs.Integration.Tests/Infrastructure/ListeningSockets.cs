using System.Globalization;

namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>
/// The TCP sockets a process listens on, from Linux's <c>/proc</c>: the socket inodes among its open descriptors,
/// matched against the listening rows (state <c>0A</c>) of its network namespace's <c>tcp</c> and <c>tcp6</c> tables.
/// </summary>
internal static class ListeningSockets
{
    private const string Listen = "0A";

    /// <returns>The local addresses (hex, as the kernel writes them, e.g. <c>0100007F:1F90</c>).</returns>
    public static IReadOnlyList<string> Of(int processId)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("Listening sockets are read from /proc.");
        var inodes = new HashSet<string>();
        foreach (var descriptor in Directory.EnumerateFiles($"/proc/{processId}/fd"))
        {
            var target = new FileInfo(descriptor).LinkTarget;
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                inodes.Add(target["socket:[".Length..^1]);
        }
        var listening = new List<string>();
        foreach (var table in new[] { "tcp", "tcp6" })
        {
            var path = $"/proc/{processId}/net/{table}";
            if (!File.Exists(path))
                continue;
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
            foreach (var row in File.ReadLines(path).Skip(1))
            {
                var columns = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns.Length > 9 && columns[3] == Listen && inodes.Contains(columns[9]))
                    listening.Add(columns[1]);
            }
        }
        return listening;
    }

    /// <summary>The port of a local address as <see cref="Of"/> returns it.</summary>
    public static int Port(string localAddress) => int.Parse(localAddress.Split(':')[^1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
