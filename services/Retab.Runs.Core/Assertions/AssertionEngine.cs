using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions.Conditions;
using Retab.Runs.Core.Assertions.Evaluators;

namespace Retab.Runs.Core.Assertions;

/// <summary>Evaluates one assertion against a block's outputs. Pure except for the optional model.</summary>
/// <remarks>
/// Order of checks: the condition must validate (else blocked with <c>invalid_condition</c>, <c>invalid_regex</c> or
/// <c>schema_invalid</c>; unknown extra keys are tolerated here so an older engine can read newer conditions),
/// then the target must be present (except for exists / not_exists: else <c>path_not_found</c>), then the kind's
/// own rules apply. The engine never throws for bad data: an unexpected exception becomes a blocked result with
/// <c>evaluation_error</c>. Only cancellation propagates.
/// </remarks>
public sealed class AssertionEngine(IAssertionModel? model = null)
{
    /// <param name="outputs">Output handle id → the handle's <c>data</c>.</param>
    public async Task<AssertionResult> EvaluateAsync(Assertion assertion, IReadOnlyDictionary<string, JsonNode?> outputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        ArgumentNullException.ThrowIfNull(outputs);
        cancellationToken.ThrowIfCancellationRequested();

        var condition = assertion.Condition;
        // Not Assertion.Kind: it throws when a stored kind is not a string.
        var kind = JsonValues.TryGetString(condition["kind"], out var k) ? k : "";
        var present = JsonPathResolver.TryResolve(outputs, assertion.Target, out var actual);

        var verdict = await EvaluateTopLevelAsync(condition, kind, present, actual, Describe(assertion.Target), cancellationToken).ConfigureAwait(false);
        var known = ConditionSpecs.ByKind.ContainsKey(kind);
        return new AssertionResult
        {
            AssertionId = assertion.Id,
            ConditionKind = kind,
            Outcome = verdict.Outcome,
            ActualValue = present ? actual?.DeepClone() : null,
            ExpectedValue = known ? ConditionFacts.ExpectedValue(kind, condition) : null,
            Score = verdict.Score,
            Threshold = known ? ConditionFacts.Threshold(kind, condition) : null,
            MetricKind = known ? ConditionFacts.MetricKind(kind, condition) : null,
            AssertionLabel = assertion.Label,
            Failure = verdict.Failure,
        };
    }

    private async ValueTask<Verdict> EvaluateTopLevelAsync(JsonObject condition, string kind, bool present, JsonNode? actual, string target, CancellationToken cancellationToken)
    {
        var issues = ConditionValidator.Collect(condition).Where(i => i.Error.Type != ConditionValidator.ExtraForbidden).ToList();
        if (issues.Count > 0)
            return InvalidCondition(issues);
        return await EvaluateAsync(condition, kind, present, actual, target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Evaluates a condition already known to be valid; also used for the items of all/any_item(s)_match.</summary>
    private async ValueTask<Verdict> EvaluateAsync(JsonObject condition, string kind, bool present, JsonNode? actual, string target, CancellationToken cancellationToken)
    {
        if (!present && !ConditionKinds.AcceptsAbsentTarget(kind))
            return Verdict.Block(AssertionFailureCodes.PathNotFound, $"no value at {target}");

        var context = new EvaluationContext
        {
            Condition = condition,
            Kind = kind,
            Present = present,
            Actual = actual,
            TargetDescription = target,
            Model = model,
            EvaluateNested = (inner, item, description, ct) =>
                EvaluateAsync(inner, JsonValues.TryGetString(inner["kind"], out var innerKind) ? innerKind : "", present: true, item, description, ct),
        };
        try
        {
            return await ConditionEvaluators.ByKind[kind].EvaluateAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return Verdict.Block(AssertionFailureCodes.EvaluationError, $"{kind} could not be evaluated: {ex.Message}",
                new JsonObject { ["exception"] = ex.GetType().Name });
        }
    }

    private static Verdict InvalidCondition(List<ConditionIssue> issues)
    {
        // The most specific code wins: a bad regex or schema is what the user needs to fix.
        var code = issues.Select(i => i.BlockedCode).FirstOrDefault(c => c != AssertionFailureCodes.InvalidCondition)
                   ?? AssertionFailureCodes.InvalidCondition;
        var first = issues[0].Error;
        var errors = new JsonArray(issues.Select(i => (JsonNode?)new JsonObject
        {
            ["loc"] = new JsonArray(i.Error.Loc.Select(l => l is int n ? JsonValue.Create(n) : (JsonNode?)JsonValue.Create(l.ToString())).ToArray()),
            ["msg"] = i.Error.Msg,
            ["type"] = i.Error.Type,
        }).ToArray());
        var where = first.Loc.Count == 0 ? "condition" : string.Join(".", first.Loc);
        return Verdict.Block(code, $"the condition is invalid: {where}: {first.Msg}", new JsonObject { ["errors"] = errors });
    }

    private static string Describe(AssertionTarget target) =>
        string.IsNullOrWhiteSpace(target.Path)
            ? $"output '{target.OutputHandleId}'"
            : $"output '{target.OutputHandleId}' at path '{target.Path}'";
}
