using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Retab.Runs.Core.Common;

namespace Retab.Runs.Core.Assertions;

/// <summary>
/// Compiles and checks the schemas of <c>json_schema_valid</c> with JsonSchema.Net 7.
/// A schema is valid when it is an object or a boolean, names a supported dialect in <c>$schema</c>
/// (draft 2020-12 — the default when <c>$schema</c> is absent — or draft-07), deserialises, conforms to
/// its meta-schema and has resolvable <c>$ref</c>s (no network: only references inside the schema).
/// </summary>
internal static class JsonSchemas
{
    private static readonly BoundedCache<string, SchemaCompilation> Cache = new(capacity: 256);

    private static readonly Dictionary<string, SpecVersion> Dialects = new(StringComparer.Ordinal)
    {
        ["json-schema.org/draft/2020-12/schema"] = SpecVersion.Draft202012,
        ["json-schema.org/draft-07/schema"] = SpecVersion.Draft7,
    };

    public static SchemaCompilation Compile(JsonNode? schema)
    {
        var kind = JsonValues.Kind(schema);
        if (kind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
            return SchemaCompilation.Invalid("a JSON schema must be an object or a boolean");
        var budget = SchemaComplexity.MaxNodes;
        if (SchemaComplexity.ExpandedNodes(schema!, budget) > budget)
            return SchemaCompilation.TooComplex($"the schema expands to more than {budget} subschemas once its $refs are followed (setting Limits:MaxSchemaNodes); share less or nest less");
        // Canonical text as the key: the same schema sent with another key order is the same entry.
        return Cache.GetOrAdd(CanonicalJson.Serialize(schema), text => CompileGuarded(schema!, text));
    }

    /// <summary>The validator calls this on the request path: whatever a user's schema makes the library throw is an invalid schema, never a 500.</summary>
    private static SchemaCompilation CompileGuarded(JsonNode schemaNode, string text)
    {
        try
        {
            return CompileUncached(schemaNode, text);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return SchemaCompilation.Invalid(ex.Message);
        }
    }

    private static SchemaCompilation CompileUncached(JsonNode schemaNode, string text)
    {
        var version = SpecVersion.Draft202012;
        if (schemaNode is JsonObject obj && obj.TryGetPropertyValue("$schema", out var declared))
        {
            if (!JsonValues.TryGetString(declared, out var uri) || !TryGetDialect(uri, out version))
                return SchemaCompilation.Invalid($"unsupported $schema {JsonValues.Render(declared)}: use draft 2020-12 (https://json-schema.org/draft/2020-12/schema) or draft-07 (http://json-schema.org/draft-07/schema#)");
        }

        JsonSchema schema;
        try
        {
            schema = JsonSchema.FromText(text);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Keyword values of the wrong shape ("type": 5, "minLength": -1, a bad "pattern") fail here.
            return SchemaCompilation.Invalid(ex.Message);
        }

        var metaSchema = version == SpecVersion.Draft7 ? MetaSchemas.Draft7 : MetaSchemas.Draft202012;
        var meta = metaSchema.Evaluate(schemaNode.DeepClone(), new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!meta.IsValid)
            return SchemaCompilation.Invalid("the schema does not conform to its meta-schema: " + string.Join("; ", Errors(meta, 3).Select(e => $"{e.Location}: {e.Message}")));

        var compiled = new CompiledSchema(schema, version);
        try
        {
            // Building the evaluation resolves every $ref; doing it once here turns a dangling reference into
            // "schema_invalid" at validation time instead of an exception later.
            compiled.Evaluate(null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return SchemaCompilation.Invalid(ex.Message);
        }
        return new SchemaCompilation(compiled, null);
    }

    private static bool TryGetDialect(string uri, out SpecVersion version)
    {
        // Accept http/https and an optional empty fragment, which people write interchangeably.
        var normalized = uri.Trim().TrimEnd('#');
        foreach (var scheme in (ReadOnlySpan<string>)["https://", "http://"])
        {
            if (normalized.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                normalized = normalized[scheme.Length..];
                break;
            }
        }
        return Dialects.TryGetValue(normalized, out version);
    }

    internal static IEnumerable<SchemaError> Errors(EvaluationResults results, int max) =>
        (results.Details.Count > 0 ? results.Details : [results])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => new SchemaError(d.InstanceLocation.ToString(), e.Key, e.Value)))
            .Take(max);
}

internal sealed record SchemaError(string Location, string Keyword, string Message);

internal sealed record SchemaCompilation(CompiledSchema? Schema, string? Error, bool IsTooComplex = false)
{
    public static SchemaCompilation Invalid(string error) => new(null, error);

    public static SchemaCompilation TooComplex(string error) => new(null, error, IsTooComplex: true);
}

/// <summary>A deserialised schema with the dialect it is evaluated as.</summary>
internal sealed class CompiledSchema(JsonSchema schema, SpecVersion version)
{
    // JsonSchema.Net caches evaluation plans inside the schema object; evaluations of one shared schema
    // are serialised rather than relying on that cache being safe for concurrent use.
    private readonly Lock _gate = new();

    public EvaluationResults Evaluate(JsonNode? instance)
    {
        // Fresh options each time: the options carry a schema registry, and two schemas declaring the
        // same $id must not see each other.
        var options = new EvaluationOptions { EvaluateAs = version, OutputFormat = OutputFormat.List };
        lock (_gate)
            return schema.Evaluate(instance, options);
    }
}
