using System.Text.Json;
using Retab.Runs.Core.Freshness;
using Retab.Runs.Core.Runs;
using Retab.Runs.Documents;

namespace Retab.Runs.Gateway.OpenApi;

/// <summary>The closed sets of string values the API writes and reads, for the document's enums.</summary>
public static class SchemaValues
{
    /// <summary>An enum's values as the registered converter writes them (<c>JsonStringEnumConverter</c>, lower snake_case).</summary>
    public static IReadOnlyList<string> Of<TEnum>() where TEnum : struct, Enum =>
        [.. Enum.GetNames<TEnum>().Select(JsonNamingPolicy.SnakeCaseLower.ConvertName)];

    /// <summary>
    /// <c>api</c> for runs created over HTTP, <c>custom</c> for a bus command that names none; a bus command may name
    /// one of Retab's own trigger types.
    /// </summary>
    public static IReadOnlyList<string> TriggerTypes { get; } =
        [RunDocuments.ApiTrigger, RunDocuments.CustomTrigger, "manual", "schedule", "webhook", "email", "restart"];

    public static IReadOnlyList<string> ConditionKinds => Core.Assertions.ConditionKinds.All;

    public static IReadOnlyList<string> BlockTypes { get; } = [.. Core.Workflows.BlockTypes.All.Order(StringComparer.Ordinal)];

    public static IReadOnlyList<string> FreshnessReasons { get; } =
        [FreshnessRules.ValidityChanged, FreshnessRules.InputsChanged, FreshnessRules.EngineChanged, FreshnessRules.NoBaseline];

    /// <summary>Retab's <c>WorkflowTestSchemaDrift</c>.</summary>
    public static IReadOnlyList<string> SchemaDrift { get; } = ["none", "partial", "drifted", "unknown"];

    public static IReadOnlyList<string> ValidationStatus { get; } = ["valid", "warning", "invalid"];

    public static IReadOnlyList<string> IssueSeverity { get; } = ["error", "warning"];

    /// <summary>What an upload may hold (anything else is a 415), so what a download serves.</summary>
    public static IReadOnlyList<string> FileContentTypes { get; } =
    [
        MimeTypes.Pdf, MimeTypes.Png, MimeTypes.Jpeg, MimeTypes.Gif, MimeTypes.Webp,
        MimeTypes.PlainText, MimeTypes.Markdown, MimeTypes.Csv, MimeTypes.Json,
    ];
}
