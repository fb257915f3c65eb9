using System.Reflection;
using System.Security.Cryptography;

namespace Retab.Runs.Gateway.Dashboard;

/// <summary>
/// The dashboard's files, embedded in this assembly (<c>Dashboard/wwwroot/*</c>) so a single binary serves them and
/// nothing is read from disk or fetched from elsewhere at run time.
/// </summary>
public sealed class DashboardAssets
{
    // The csproj names each embedded file "dashboard/<file name>" (the folder is flat).
    private const string ResourcePrefix = "dashboard/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private readonly Dictionary<string, DashboardAsset> _byName;

    private DashboardAssets(Dictionary<string, DashboardAsset> byName) => _byName = byName;

    public static DashboardAssets Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            // A file type without a known media type is not served: browsers must never have to sniff one.
            if (!ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
                continue;
            var content = Read(assembly, resource);
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..32] + "\"";
            assets[name] = new DashboardAsset(name, content, contentType, etag);
        }
        return new DashboardAssets(assets);
    }

    /// <summary>The file named (e.g. <c>app.js</c>); null for anything else, including paths.</summary>
    public DashboardAsset? Find(string name) => _byName.GetValueOrDefault(name);

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
