using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Retab.Runs.Core.Freshness;
using Retab.Runs.Core.Runs;
using Retab.Runs.Gateway.Responses;

namespace Retab.Runs.Gateway.OpenApi.Transformers;

/// <summary>
/// The response fields that hold one of a closed set of strings but are typed <c>string</c> in their records (they are
/// projections of domain enums, or constants such as <c>object</c>): the document lists their values, so clients
/// generate enums. Enum components also get their <c>type</c>, which the generator leaves out.
/// </summary>
internal sealed class EnumSchemasTransformer : IOpenApiDocumentTransformer
{
    private static readonly (string Component, string Property, IReadOnlyList<string> Values)[] Enums =
    [
        (nameof(LifecycleResponse), "status", [.. SchemaValues.Of<RunStatus>().Union(SchemaValues.Of<SlotStatus>())]),
        (nameof(ResultResponse), "verdict", SchemaValues.Of<Verdict>()),
        (nameof(ResultResponse), "block_type", SchemaValues.BlockTypes),
        (nameof(BlockResponse), "type", SchemaValues.BlockTypes),
        (nameof(RunSummaryResponse), "status", SchemaValues.Of<SlotStatus>()),
        (nameof(RunSummaryResponse), "outcome", SchemaValues.Of<Verdict>()),
        (nameof(RunSummaryResponse), "verdict", SchemaValues.Of<Verdict>()),
        (nameof(ScopeResponse), "type", SchemaValues.Of<RunScopeType>()),
        (nameof(ScopeResponse), "only", RerunSelection.Names),
        (nameof(ComparisonRowResponse), "change", Core.Comparisons.TestChanges.Names),
        (nameof(ComparedResultResponse), "verdict", SchemaValues.Of<Verdict>()),
        (nameof(ComparedResultResponse), "status", SchemaValues.Of<SlotStatus>()),
        (nameof(TargetResponse), "type", ["block"]),
        (nameof(TriggerResponse), "type", SchemaValues.TriggerTypes),
        (nameof(FreshnessResponse), "status", SchemaValues.Of<FreshnessStatus>()),
        (nameof(TestResponse), "schema_drift", SchemaValues.SchemaDrift),
        (nameof(TestResponse), "validation_status", SchemaValues.ValidationStatus),
        (nameof(ValidationIssueResponse), "severity", SchemaValues.IssueSeverity),
        (nameof(Core.Assertions.AssertionResult), "condition_kind", SchemaValues.ConditionKinds),
    ];

    /// <summary>Fields every instance writes with the same value; computed properties are also always written, so required.</summary>
    private static readonly (string Component, string Property, string Value)[] Constants =
    [
        (nameof(WorkflowResponse), "object", "workflow"),
        (nameof(TestResponse), "object", "workflow_test"),
        (nameof(RunResponse), "object", "workflow_test_run"),
        (nameof(ResultResponse), "object", "workflow_test_result"),
        (nameof(ComparisonResponse), "object", "workflow_test_run_comparison"),
        (nameof(FileResponse), "object", "file"),
        (nameof(FileReference), "object", "file"),
        (nameof(UploadSessionResponse), "uploadMethod", "PUT"),
    ];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var (component, property, values) in Enums)
            ComponentSchemas.Enumerate(ComponentSchemas.Property(document, component, property), values);
        ComponentSchemas.Enumerate((OpenApiSchema)ComponentSchemas.Property(document, nameof(FreshnessResponse), "reasons").Items!, SchemaValues.FreshnessReasons);

        foreach (var (component, property, value) in Constants)
        {
            var schema = ComponentSchemas.Property(document, component, property);
            schema.Type = JsonSchemaType.String;
            ComponentSchemas.Enumerate(schema, [value]);
            var owner = ComponentSchemas.Component(document, component);
            owner.Required ??= new HashSet<string>();
            owner.Required.Add(property);
        }

        foreach (var schema in document.Components?.Schemas?.Values.OfType<OpenApiSchema>() ?? [])
        {
            if (schema is { Enum.Count: > 0, Type: null })
                schema.Type = JsonSchemaType.String;
        }
        return Task.CompletedTask;
    }
}
