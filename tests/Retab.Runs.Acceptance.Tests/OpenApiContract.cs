using System.Net;
using System.Text;
using Json.Schema;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// The service's own OpenAPI document as a contract: it finds operations by <c>operationId</c> and evaluates JSON
/// against the schemas the document declares for their bodies, with JsonSchema.Net (OpenAPI 3.1 schemas are JSON
/// Schema 2020-12). The whole document is registered as one JSON resource, so every <c>$ref</c> into
/// <c>#/components/schemas</c> resolves to the document's own component.
/// </summary>
public sealed class OpenApiContract
{
    private static readonly Uri DocumentUri = new("https://retab-runs.test/openapi/v1.json");
    public const string Json = "application/json";

    private readonly EvaluationOptions _options;

    public OpenApiContract(JsonNode document)
    {
        Document = document;
        _options = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
        _options.SchemaRegistry.Register(new JsonNodeBaseDocument(document, DocumentUri));
    }

    public JsonNode Document { get; }

    public static async Task<OpenApiContract> LoadAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new OpenApiContract(JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    public IEnumerable<Operation> Operations =>
        Document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(item => item.Key is "get" or "put" or "post" or "delete" or "patch")
            .Select(item => new Operation(item.Key.ToUpperInvariant(), path.Key, item.Value!.AsObject())));

    public Operation this[string operationId] =>
        Operations.SingleOrDefault(o => o.Id == operationId) ?? throw new KeyNotFoundException($"The document has no operation '{operationId}'.");

    public JsonObject Component(string name) =>
        Document["components"]!["schemas"]![name]?.AsObject() ?? throw new KeyNotFoundException($"The document has no schema '{name}'.");

    /// <summary>The problems of <paramref name="instance"/> against <paramref name="schema"/> (a schema of this document); empty when it conforms.</summary>
    public IReadOnlyList<string> Problems(JsonNode schema, JsonNode? instance)
    {
        // The schema is evaluated on its own, so its references must name the document rather than itself.
        var text = schema.ToJsonString().Replace("\"#/components/", $"\"{DocumentUri}#/components/", StringComparison.Ordinal);
        var results = JsonSchema.FromText(text).Evaluate(instance?.DeepClone(), _options);
        if (results.IsValid)
            return [];
        return [.. (results.Details.Count > 0 ? results.Details : [results])
            .Where(d => d.HasErrors)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))];
    }

    public sealed record Operation(string Method, string Path, JsonObject Node)
    {
        public string Id => Node["operationId"]?.GetValue<string>() ?? "";

        public JsonNode? RequestSchema(string contentType = Json) => Node["requestBody"]?["content"]?[contentType]?["schema"];

        public JsonObject? Response(int status) => Node["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]?.AsObject();

        public IEnumerable<JsonObject> Parameters(string location) =>
            (Node["parameters"]?.AsArray() ?? []).Select(p => p!.AsObject()).Where(p => p["in"]!.GetValue<string>() == location);

        /// <summary>The path with its parameters filled in, and the query appended.</summary>
        public string Url(IReadOnlyDictionary<string, string>? pathValues = null, string? query = null)
        {
            var url = new StringBuilder(Path);
            foreach (var (name, value) in pathValues ?? new Dictionary<string, string>())
                url.Replace("{" + name + "}", Uri.EscapeDataString(value));
            Assert.DoesNotContain("{", url.ToString());
            return query is null ? url.ToString() : $"{url}?{query}";
        }

        public override string ToString() => $"{Method} {Path} ({Id})";
    }
}
