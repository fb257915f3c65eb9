using System.Text.Json;
using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions.Conditions;
using Retab.Runs.Core.Validation;

namespace Retab.Runs.Core.Assertions;

/// <summary>Checks a condition object at test-creation time so a malformed one is a 422, not a blocked result later.</summary>
/// <remarks>
/// Errors follow pydantic v2 (what FastAPI, and so Retab, answers): the same <c>type</c> codes and message texts.
/// The engine runs the same checks before evaluating, so a condition stored before a rule existed ends
/// <c>blocked</c> rather than misbehaving.
/// </remarks>
public static class ConditionValidator
{
    /// <summary>How deep <c>all_items_match</c> / <c>any_item_matches</c> may nest; deeper is a value_error.</summary>
    public const int MaxNestingDepth = 16;

    /// <returns>Errors with <c>loc</c> relative to the condition object (e.g. <c>["expected"]</c>).</returns>
    public static IReadOnlyList<FieldError> Validate(JsonNode? condition) => [.. Collect(condition).Select(i => i.Error)];

    /// <summary>The errors with the code the engine blocks with when it meets them at evaluation time.</summary>
    internal static List<ConditionIssue> Collect(JsonNode? condition)
    {
        var issues = new List<ConditionIssue>();
        CheckCondition(condition, [], depth: 0, issues);
        return issues;
    }

    private static void CheckCondition(JsonNode? condition, object[] loc, int depth, List<ConditionIssue> issues)
    {
        if (condition is not JsonObject obj)
        {
            issues.Add(Issue(loc, "Input should be a valid dictionary", "dict_type"));
            return;
        }
        if (!obj.TryGetPropertyValue("kind", out var kindNode))
        {
            issues.Add(Issue([.. loc, "kind"], "Field required", "missing"));
            return;
        }
        if (!JsonValues.TryGetString(kindNode, out var kind))
        {
            issues.Add(Issue([.. loc, "kind"], "Input should be a valid string", "string_type"));
            return;
        }
        if (!ConditionSpecs.ByKind.TryGetValue(kind, out var fields))
        {
            var tags = string.Join(", ", ConditionKinds.All.Select(k => $"'{k}'"));
            issues.Add(Issue([.. loc, "kind"], $"Input tag '{kind}' found using 'kind' does not match any of the expected tags: {tags}", "union_tag_invalid"));
            return;
        }

        foreach (var field in fields)
        {
            if (!obj.TryGetPropertyValue(field.Name, out var value))
            {
                if (field.Required)
                    issues.Add(Issue([.. loc, field.Name], "Field required", "missing"));
                continue;
            }
            if (value is null && field.Nullable)
                continue;
            FieldChecks.Check(field.Rule, value, [.. loc, field.Name], depth, issues);
        }

        foreach (var (key, _) in obj)
        {
            if (key != "kind" && !fields.Any(f => f.Name == key))
                issues.Add(Issue([.. loc, key], "Extra inputs are not permitted", ExtraForbidden));
        }

        CheckCrossFieldRules(kind, obj, loc, issues);
    }

    internal static void CheckNested(JsonNode? condition, object[] loc, int depth, List<ConditionIssue> issues)
    {
        if (depth + 1 > MaxNestingDepth)
        {
            issues.Add(Issue(loc, $"Value error, conditions may nest at most {MaxNestingDepth} levels deep", "value_error"));
            return;
        }
        CheckCondition(condition, loc, depth + 1, issues);
    }

    private static void CheckCrossFieldRules(string kind, JsonObject obj, object[] loc, List<ConditionIssue> issues)
    {
        // An empty interval can never pass: almost certainly swapped bounds, so say it now.
        if (kind == ConditionKinds.Between
            && JsonValues.TryGetNumber(obj["lower"], out var lower)
            && JsonValues.TryGetNumber(obj["upper"], out var upper)
            && lower.CompareTo(upper) > 0)
        {
            issues.Add(Issue([.. loc, "upper"], "Value error, upper must be greater than or equal to lower", "value_error"));
        }
    }

    internal const string ExtraForbidden = "extra_forbidden";

    internal static ConditionIssue Issue(object[] loc, string msg, string type, string blockedCode = AssertionFailureCodes.InvalidCondition) =>
        new(new FieldError(loc, msg, type), blockedCode);
}

/// <summary>A validation error and the failure code the engine blocks with when a stored condition has it.</summary>
internal sealed record ConditionIssue(FieldError Error, string BlockedCode);
