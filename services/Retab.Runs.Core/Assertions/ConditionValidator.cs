using System.Text.Json.Nodes;
using Retab.Runs.Core.Validation;

namespace Retab.Runs.Core.Assertions;

/// <summary>Checks a condition object at test-creation time so a malformed one is a 422, not a blocked result later.</summary>
public static class ConditionValidator
{
    /// <returns>Errors with <c>loc</c> relative to the condition object (e.g. <c>["expected"]</c>).</returns>
    public static IReadOnlyList<FieldError> Validate(JsonNode? condition)
    {
        throw new NotImplementedException("filled in by the assertion engine work");
    }
}
