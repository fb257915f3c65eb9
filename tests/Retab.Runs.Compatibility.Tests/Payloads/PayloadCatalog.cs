using Retab.Runs.Compatibility.Tests.Hosts;

namespace Retab.Runs.Compatibility.Tests.Payloads;

/// <summary>The payloads the scenarios read, by kind; scenarios run in parallel and record into one catalog.</summary>
public sealed class PayloadCatalog
{
    private readonly List<Payload> _payloads = [];

    public void Record(string kind, ApiResponse response) => Record(kind, response.Request, response.Json);

    public void Record(string kind, string request, JsonNode? body)
    {
        if (!PayloadKinds.SchemaOf.ContainsKey(kind))
            throw new ArgumentException($"'{kind}' is not a payload kind of PayloadKinds.SchemaOf.", nameof(kind));
        lock (_payloads)
            _payloads.Add(new Payload(kind, request, body?.DeepClone()));
    }

    public IReadOnlyList<Payload> Of(string kind)
    {
        lock (_payloads)
            return _payloads.Where(p => p.Kind == kind).ToList();
    }

    public IReadOnlyList<Payload> All
    {
        get
        {
            lock (_payloads)
                return _payloads.ToList();
        }
    }
}
