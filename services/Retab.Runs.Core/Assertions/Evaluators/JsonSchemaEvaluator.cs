using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions.Evaluators;

/// <summary>
/// <c>json_schema_valid</c>: the target (any JSON, null included) validates against <c>schema</c>.
/// <c>format</c> is an annotation, as the drafts specify by default (not asserted).
/// </summary>
internal sealed class JsonSchemaEvaluator : IConditionEvaluator
{
    private const int MaxReportedErrors = 20;

    public ValueTask<Verdict> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken)
    {
        var compilation = JsonSchemas.Compile(context.Field("schema"));
        if (compilation.Schema is not { } schema)
            return ValueTask.FromResult(Verdict.Block(AssertionFailureCodes.SchemaInvalid, $"invalid JSON schema: {compilation.Error}"));

        // A detached copy: the evaluation reports locations from the root it is given.
        var results = schema.Evaluate(context.Actual?.DeepClone());
        if (results.IsValid)
            return ValueTask.FromResult(Verdict.Pass());

        var errors = JsonSchemas.Errors(results, MaxReportedErrors).ToList();
        var details = new JsonObject
        {
            ["errors"] = new JsonArray(errors.Select(e => (JsonNode?)new JsonObject
            {
                ["instance_location"] = e.Location,
                ["keyword"] = e.Keyword,
                ["message"] = e.Message,
            }).ToArray()),
        };
        var summary = errors.Count == 0
            ? "the value does not match the schema"
            : "the value does not match the schema: " + string.Join("; ", errors.Take(3).Select(e => $"{(e.Location.Length == 0 ? "(root)" : e.Location)}: {e.Message}"));
        return ValueTask.FromResult(Verdict.Fail(summary, details));
    }
}
