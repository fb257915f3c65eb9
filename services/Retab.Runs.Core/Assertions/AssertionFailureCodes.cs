namespace Retab.Runs.Core.Assertions;

/// <summary>The stable values of <see cref="AssertionFailure.Code"/> the engine produces.</summary>
public static class AssertionFailureCodes
{
    /// <summary>The assertion was evaluated and did not hold (outcome <c>failed</c>).</summary>
    public const string AssertionFailed = "assertion_failed";

    // Everything below comes with outcome "blocked": the assertion could not be evaluated.
    public const string PathNotFound = "path_not_found";
    public const string TypeError = "type_error";
    public const string InvalidRegex = "invalid_regex";
    public const string RegexTimeout = "regex_timeout";
    public const string SchemaInvalid = "schema_invalid";
    public const string ModelUnavailable = "model_unavailable";
    public const string ModelError = "model_error";
    /// <summary>The stored condition does not validate (it should have been rejected when the test was saved).</summary>
    public const string InvalidCondition = "invalid_condition";
    /// <summary>Safety net: an unexpected exception inside an evaluator; a result is still produced.</summary>
    public const string EvaluationError = "evaluation_error";
}
