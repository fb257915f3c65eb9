using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions;

/// <summary>Evaluates one assertion against a block's outputs. Pure except for the optional model.</summary>
public sealed class AssertionEngine(IAssertionModel? model = null)
{
    /// <param name="outputs">Output handle id → the handle's <c>data</c>.</param>
    public Task<AssertionResult> EvaluateAsync(Assertion assertion, IReadOnlyDictionary<string, JsonNode?> outputs, CancellationToken cancellationToken = default)
    {
        _ = model;
        throw new NotImplementedException("filled in by the assertion engine work");
    }
}
