using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions.Evaluators;

/// <summary>Everything an evaluator may look at for one condition on one value.</summary>
internal sealed class EvaluationContext
{
    public required JsonObject Condition { get; init; }

    public required string Kind { get; init; }

    /// <summary>False when the target is absent (only presence conditions ever see that).</summary>
    public required bool Present { get; init; }

    /// <summary>The resolved target; null for JSON null or when absent (see <see cref="Present"/>).</summary>
    public required JsonNode? Actual { get; init; }

    /// <summary>Human description of the target for messages ("output 'output-json-0' at path 'total'", "item 2 of …").</summary>
    public required string TargetDescription { get; init; }

    public required IAssertionModel? Model { get; init; }

    /// <summary>Evaluates a nested condition on a present value (for the item conditions).</summary>
    public required Func<JsonObject, JsonNode?, string, CancellationToken, ValueTask<Verdict>> EvaluateNested { get; init; }

    public JsonNode? Field(string name) => Condition[name];

    public string StringField(string name) => JsonValues.TryGetString(Condition[name], out var text) ? text : "";
}

internal interface IConditionEvaluator
{
    ValueTask<Verdict> EvaluateAsync(EvaluationContext context, CancellationToken cancellationToken);
}
