using YamlDotNet.RepresentationModel;

namespace Retab.Runs.Deploy.Tests;

/// <summary>A rendered compose file (the output of <c>config</c>), read as YAML: services, their ports, environment, health checks.</summary>
public sealed class RenderedCompose
{
    private readonly YamlMappingNode _services;

    private RenderedCompose(YamlMappingNode services) => _services = services;

    public static RenderedCompose Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return new RenderedCompose((YamlMappingNode)root.Children[new YamlScalarNode("services")]);
    }

    public IReadOnlyList<string> ServiceNames =>
        _services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Order(StringComparer.Ordinal).ToList();

    public YamlMappingNode Service(string name) => (YamlMappingNode)_services.Children[new YamlScalarNode(name)];

    /// <summary>
    /// The service's published ports as (host address, host port, container port). Compose 1.29 renders the short form
    /// <c>"127.0.0.1:5672:5672/tcp"</c>, Compose v2 the long form (<c>host_ip</c>, <c>published</c>, <c>target</c>).
    /// </summary>
    public IReadOnlyList<PublishedPort> Ports(string service)
    {
        if (Child(Service(service), "ports") is not YamlSequenceNode ports)
            return [];
        return ports.Children.Select(port => port switch
        {
            YamlScalarNode shortForm => ParseShortForm(shortForm.Value!),
            YamlMappingNode longForm => new PublishedPort(
                Scalar(longForm, "host_ip") ?? "0.0.0.0", Scalar(longForm, "published") ?? "", Scalar(longForm, "target") ?? ""),
            _ => throw new InvalidDataException($"unexpected port entry in {service}: {port}"),
        }).ToList();
    }

    /// <summary>
    /// The service's mounts as (source, target): Compose 1.29 renders <c>"/abs/source:/target:ro"</c>, Compose v2 a
    /// mapping with <c>source</c> and <c>target</c>.
    /// </summary>
    public IReadOnlyList<(string Source, string Target)> Volumes(string service) =>
        Child(Service(service), "volumes") is YamlSequenceNode volumes
            ? volumes.Children.Select(volume => volume switch
            {
                YamlScalarNode shortForm => (shortForm.Value!.Split(':')[0], shortForm.Value!.Split(':')[1]),
                YamlMappingNode longForm => (Scalar(longForm, "source") ?? "", Scalar(longForm, "target") ?? ""),
                _ => throw new InvalidDataException($"unexpected volume entry in {service}: {volume}"),
            }).ToList()
            : [];

    /// <summary>The service's environment as name → value (rendered compose always writes it as a mapping).</summary>
    public IReadOnlyDictionary<string, string> Environment(string service) =>
        Child(Service(service), "environment") is YamlMappingNode environment
            ? environment.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => (e.Value as YamlScalarNode)?.Value ?? "")
            : new Dictionary<string, string>();

    public static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    public static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    public static IReadOnlyList<string> Sequence(YamlNode? node) =>
        node is YamlSequenceNode sequence ? sequence.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList() : [];

    private static PublishedPort ParseShortForm(string value)
    {
        // [host_ip:]host_port:container_port[/protocol]; an IPv6 host address would be bracketed, none is used here.
        var withoutProtocol = value.Split('/')[0];
        var parts = withoutProtocol.Split(':');
        return parts.Length switch
        {
            3 => new PublishedPort(parts[0], parts[1], parts[2]),
            2 => new PublishedPort("0.0.0.0", parts[0], parts[1]),
            _ => new PublishedPort("0.0.0.0", "", parts[0]),
        };
    }
}

public sealed record PublishedPort(string HostAddress, string HostPort, string ContainerPort);
