using System.Reflection;
using Json.Schema;
using static Retab.Runs.Compatibility.Tests.Checking.JsonPaths;

namespace Retab.Runs.Compatibility.Tests.Checking;

/// <summary>
/// The JSON Schemas of Schemas/*.schema.json (embedded), each written from Retab's SDK models, and the check of a
/// payload against one of them. A failure is reported per field with the SDK model that declares it, so a red test
/// says what to add or change and why, not just that a document is invalid.
/// </summary>
public sealed class RetabSchemas
{
    public const string BaseUri = "https://schemas.retab-runs.test/compat/";

    private readonly Dictionary<string, JsonSchema> _schemas;
    private readonly Dictionary<string, JsonNode> _documents;
    private readonly EvaluationOptions _options;

    private RetabSchemas(Dictionary<string, JsonSchema> schemas, Dictionary<string, JsonNode> documents)
    {
        _schemas = schemas;
        _documents = documents;
        // Hierarchical, so the failed branches of an anyOf that held as a whole can be told from real failures.
        // Every response of ours writes timestamps as strings, and Retab's models parse them; an unparsable one must fail.
        _options = new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true };
        foreach (var schema in schemas.Values)
            _options.SchemaRegistry.Register(schema);
    }

    /// <summary>File names (<c>workflow-test-run.schema.json</c>) of every schema.</summary>
    public IReadOnlyCollection<string> Files => _schemas.Keys;

    public JsonNode Document(string file) => _documents[file];

    public static RetabSchemas Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var schemas = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        var documents = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Schemas/", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            var text = reader.ReadToEnd();
            var file = resource["Schemas/".Length..];
            schemas[file] = JsonSchema.FromText(text);
            documents[file] = JsonNode.Parse(text)!;
        }
        return new RetabSchemas(schemas, documents);
    }

    public IReadOnlyList<SchemaViolation> Check(string schemaFile, JsonNode? payload)
    {
        var results = _schemas[schemaFile].Evaluate(payload, _options);
        if (results.IsValid)
            return [];
        var violations = new List<SchemaViolation>();
        Collect(schemaFile, results, payload, violations);
        // Whatever JsonSchema.Net reports in a shape not handled above still fails the check, never silently passes.
        if (violations.Count == 0)
            violations.Add(new SchemaViolation("(document)", "does not match", schemaFile, schemaFile));
        return violations.Distinct().ToList();
    }

    /// <summary>
    /// The errors of every failed schema whose ancestors all failed too: a branch that failed inside an <c>anyOf</c> that
    /// held, or an <c>if</c> that did not hold, is not a failure of the payload.
    /// </summary>
    private void Collect(string schemaFile, EvaluationResults node, JsonNode? payload, List<SchemaViolation> violations)
    {
        if (node.IsValid || IsBranchTest(node))
            return;
        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            var (file, schemaNode, model) = Locate(schemaFile, node.EvaluationPath.ToString());
            if (IsNullAlternative(schemaNode, keyword))
                continue;
            var field = FieldPath(node.InstanceLocation.ToString());
            if (keyword == "required")
                violations.AddRange(MissingProperties(schemaNode, payload, node.InstanceLocation.ToString())
                    .Select(name => new SchemaViolation(Join(field, name), "required but absent", model, file)));
            else
                violations.Add(new SchemaViolation(field, $"{message} ({keyword})", model, file));
        }
        foreach (var child in node.Details)
            Collect(schemaFile, child, payload, violations);
    }

    /// <summary>
    /// An <c>if</c> that does not hold only picks the branch not taken; its "errors" are not the payload's. Neither is
    /// the result of <c>not</c>'s inner schema.
    /// </summary>
    private static bool IsBranchTest(EvaluationResults node) =>
        Segments(node.EvaluationPath.ToString()).Any(s => s is "if" or "not");

    /// <summary><c>X | None</c> is written <c>anyOf: [{type: null}, X]</c>; when X fails, "is not null" adds nothing.</summary>
    private static bool IsNullAlternative(JsonNode? schemaNode, string keyword) =>
        keyword == "type" && schemaNode is JsonObject { Count: 1 } only && only["type"] is JsonValue type && type.GetValue<string>() == "null";

    private static IEnumerable<string> MissingProperties(JsonNode? schemaNode, JsonNode? payload, string instancePointer)
    {
        var instance = Walk(payload, Segments(instancePointer)) as JsonObject;
        return (schemaNode?["required"]?.AsArray() ?? [])
            .Select(n => n!.GetValue<string>())
            .Where(name => instance is null || !instance.ContainsKey(name));
    }

    /// <summary>
    /// The schema file and the subschema an error comes from, and the model it belongs to: the nearest <c>title</c> on
    /// the evaluation path from the checked schema's root (following each <c>$ref</c> into the file it names), with the
    /// SDK file next to it and, when a field below it says more (<c>List&lt;string&gt;</c> in the dotnet SDK), that too.
    /// (JsonSchema.Net's own SchemaLocation loses the <c>$defs</c> part of a referenced definition, so it is not used.)
    /// </summary>
    private (string File, JsonNode? Node, string Model) Locate(string rootFile, string evaluationPath)
    {
        var file = rootFile;
        JsonNode? node = _documents[file];
        var model = Describe(node);
        string? note = null;
        foreach (var segment in Segments(evaluationPath))
        {
            if (segment == "$ref" && node?["$ref"] is JsonValue reference)
                (file, node) = Resolve(file, reference.GetValue<string>());
            else
                node = Step(node, segment);
            if (node is not JsonObject schema)
                continue;
            if (schema.ContainsKey("title"))
                (model, note) = (Describe(schema), null);
            else if (schema["description"] is JsonValue description)
                note = description.GetValue<string>();
        }
        return (file, node, note is null ? model : $"{model}, field declared {note}");
    }

    /// <summary>A <c>$ref</c> of these schemas: <c>#/$defs/X</c> in the same file, or <c>other.schema.json#/$defs/X</c>.</summary>
    private (string File, JsonNode? Node) Resolve(string file, string reference)
    {
        var hash = reference.IndexOf('#');
        var target = hash < 0 ? reference : reference[..hash];
        var fragment = hash < 0 ? "" : reference[(hash + 1)..];
        var targetFile = target.Length == 0 ? file : target;
        return (targetFile, Walk(_documents[targetFile], Segments(fragment)));
    }

    private static string Describe(JsonNode? schema)
    {
        var title = schema?["title"]?.GetValue<string>() ?? "(untitled)";
        return schema?["description"]?.GetValue<string>() is { } source ? $"{title} [{source}]" : title;
    }
}
