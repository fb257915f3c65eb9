using System.Text.Json.Nodes;

namespace Retab.Runs.Core.Assertions.Conditions;

/// <summary>The per-rule checks behind <see cref="ConditionValidator"/>, with pydantic v2 types and messages.</summary>
internal static class FieldChecks
{
    public static void Check(FieldRule rule, JsonNode? value, object[] loc, int depth, List<ConditionIssue> issues)
    {
        switch (rule)
        {
            case FieldRule.Any:
                return;
            case FieldRule.Number:
                CheckNumber(value, loc, issues);
                return;
            case FieldRule.Integer:
                CheckInteger(value, loc, issues);
                return;
            case FieldRule.String:
                CheckString(value, loc, issues);
                return;
            case FieldRule.NonEmptyString:
                if (CheckString(value, loc, issues) && JsonValues.TryGetString(value, out var text) && text.Length == 0)
                    issues.Add(Issue(loc, "String should have at least 1 character", "string_too_short"));
                return;
            case FieldRule.Boolean:
                if (!JsonValues.IsBoolean(value))
                    issues.Add(Issue(loc, "Input should be a valid boolean", "bool_type"));
                return;
            case FieldRule.Object:
                CheckObject(value, loc, issues);
                return;
            case FieldRule.CompareOp:
                CheckLiteral(value, CompareOps.Names, loc, issues);
                return;
            case FieldRule.SimilarityMethod:
                CheckLiteral(value, ConditionSpecs.SimilarityMethods, loc, issues);
                return;
            case FieldRule.RegexPattern:
                CheckRegex(value, loc, issues);
                return;
            case FieldRule.JsonSchema:
                CheckSchema(value, loc, issues);
                return;
            case FieldRule.UnitInterval:
                CheckUnitInterval(value, loc, issues);
                return;
            case FieldRule.Condition:
                ConditionValidator.CheckNested(value, loc, depth, issues);
                return;
            case FieldRule.Splits:
                CheckSplits(value, loc, issues);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(rule), rule, null);
        }
    }

    private static bool CheckNumber(JsonNode? value, object[] loc, List<ConditionIssue> issues)
    {
        // Strict like pydantic's strict mode: a boolean or a numeric string is not a number here.
        if (JsonValues.IsNumber(value))
            return true;
        issues.Add(Issue(loc, "Input should be a valid number", "float_type"));
        return false;
    }

    private static bool CheckInteger(JsonNode? value, object[] loc, List<ConditionIssue> issues)
    {
        if (!JsonValues.IsNumber(value))
        {
            issues.Add(Issue(loc, "Input should be a valid integer", "int_type"));
            return false;
        }
        if (JsonValues.TryGetInteger(value, out _))
            return true;
        // 3.0 is accepted (pydantic does too); 3.5 is not.
        issues.Add(Issue(loc, "Input should be a valid integer, got a number with a fractional part", "int_from_float"));
        return false;
    }

    private static bool CheckString(JsonNode? value, object[] loc, List<ConditionIssue> issues)
    {
        if (JsonValues.TryGetString(value, out _))
            return true;
        issues.Add(Issue(loc, "Input should be a valid string", "string_type"));
        return false;
    }

    private static bool CheckObject(JsonNode? value, object[] loc, List<ConditionIssue> issues)
    {
        if (value is JsonObject)
            return true;
        issues.Add(Issue(loc, "Input should be a valid dictionary", "dict_type"));
        return false;
    }

    private static bool CheckList(JsonNode? value, object[] loc, List<ConditionIssue> issues)
    {
        if (value is JsonArray)
            return true;
        issues.Add(Issue(loc, "Input should be a valid list", "list_type"));
        return false;
    }

    private static void CheckLiteral(JsonNode? value, IReadOnlyList<string> allowed, object[] loc, List<ConditionIssue> issues)
    {
        if (JsonValues.TryGetString(value, out var text) && allowed.Contains(text))
            return;
        var quoted = allowed.Select(a => $"'{a}'").ToList();
        var expected = quoted.Count == 1 ? quoted[0] : string.Join(", ", quoted[..^1]) + " or " + quoted[^1];
        issues.Add(Issue(loc, $"Input should be {expected}", "literal_error"));
    }

    private static void CheckRegex(JsonNode? value, object[] loc, List<ConditionIssue> issues)
    {
        if (!CheckString(value, loc, issues))
            return;
        JsonValues.TryGetString(value, out var pattern);
        if (RegexPatterns.Compile(pattern).Error is { } error)
            issues.Add(Issue(loc, $"Value error, invalid regular expression: {error}", "value_error", AssertionFailureCodes.InvalidRegex));
    }

    private static void CheckSchema(JsonNode? value, object[] loc, List<ConditionIssue> issues)
    {
        if (value is not JsonObject && !JsonValues.IsBoolean(value))
        {
            issues.Add(Issue(loc, "Input should be a valid dictionary", "dict_type", AssertionFailureCodes.SchemaInvalid));
            return;
        }
        var compilation = JsonSchemas.Compile(value);
        if (compilation.IsTooComplex)
            issues.Add(Issue(loc, $"Value error, JSON schema too complex: {compilation.Error}", "schema_too_complex", AssertionFailureCodes.SchemaInvalid));
        else if (compilation.Error is { } error)
            issues.Add(Issue(loc, $"Value error, invalid JSON schema: {error}", "value_error", AssertionFailureCodes.SchemaInvalid));
    }

    private static void CheckUnitInterval(JsonNode? value, object[] loc, List<ConditionIssue> issues)
    {
        if (!CheckNumber(value, loc, issues))
            return;
        JsonValues.TryGetNumber(value, out var number);
        if (number.CompareTo(JsonNumber.From(0)) < 0)
            issues.Add(Issue(loc, "Input should be greater than or equal to 0", "greater_than_equal"));
        else if (number.CompareTo(JsonNumber.From(1)) > 0)
            issues.Add(Issue(loc, "Input should be less than or equal to 1", "less_than_equal"));
    }

    /// <summary>
    /// <c>{splits: [{name, pages: [int]}]}</c> with at least one split and distinct names. Other keys inside the
    /// expected value are data (e.g. copied from a real split output) and are ignored, not rejected.
    /// </summary>
    private static void CheckSplits(JsonNode? value, object[] loc, List<ConditionIssue> issues)
    {
        if (!CheckObject(value, loc, issues))
            return;
        object[] splitsLoc = [.. loc, "splits"];
        if (!((JsonObject)value!).TryGetPropertyValue("splits", out var splits))
        {
            issues.Add(Issue(splitsLoc, "Field required", "missing"));
            return;
        }
        if (!CheckList(splits, splitsLoc, issues))
            return;
        var items = (JsonArray)splits!;
        if (items.Count == 0)
        {
            issues.Add(Issue(splitsLoc, "List should have at least 1 item after validation, not 0", "too_short"));
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            object[] itemLoc = [.. splitsLoc, i];
            if (!CheckObject(items[i], itemLoc, issues))
                continue;
            var split = (JsonObject)items[i]!;
            if (!split.TryGetPropertyValue("name", out var name))
                issues.Add(Issue([.. itemLoc, "name"], "Field required", "missing"));
            else if (CheckString(name, [.. itemLoc, "name"], issues) && JsonValues.TryGetString(name, out var text) && !seen.Add(text))
                issues.Add(Issue([.. itemLoc, "name"], $"Value error, duplicate split name '{text}'", "value_error"));

            if (!split.TryGetPropertyValue("pages", out var pages))
            {
                issues.Add(Issue([.. itemLoc, "pages"], "Field required", "missing"));
                continue;
            }
            if (!CheckList(pages, [.. itemLoc, "pages"], issues))
                continue;
            var pageList = (JsonArray)pages!;
            for (var j = 0; j < pageList.Count; j++)
                CheckInteger(pageList[j], [.. itemLoc, "pages", j], issues);
        }
    }

    private static ConditionIssue Issue(object[] loc, string msg, string type, string blockedCode = AssertionFailureCodes.InvalidCondition) =>
        ConditionValidator.Issue(loc, msg, type, blockedCode);
}
