using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions;

/// <summary>
/// JSON Schema checks for code outside the assertion engine (the extract block validates model output against the
/// block's schema), with the same dialects, cache and guarded compilation as <c>json_schema_valid</c>.
/// </summary>
public static class SchemaValidation
{
    /// <returns>Why <paramref name="schema"/> is not a usable schema, or null when it is.</returns>
    public static string? Problem(JsonNode? schema) => JsonSchemas.Compile(schema).Error;

    /// <returns>Up to <paramref name="max"/> violations of <paramref name="schema"/> by <paramref name="instance"/> (<c>location: message</c>); empty when it conforms.</returns>
    public static IReadOnlyList<string> Violations(JsonNode? schema, JsonNode? instance, int max = 5)
    {
        var compilation = JsonSchemas.Compile(schema);
        if (compilation.Schema is not { } compiled)
            return [$"the schema is invalid: {compilation.Error}"];
        var results = compiled.Evaluate(instance?.DeepClone());
        return results.IsValid
            ? []
            : JsonSchemas.Errors(results, max).Select(e => $"{(e.Location.Length == 0 ? "(root)" : e.Location)}: {e.Message}").ToList();
    }
}
