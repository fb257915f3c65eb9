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

    // The block gave no output to assert on (the test is blocked before the assertion).
    /// <summary>The block ran past its time limit (a function's <c>Blocks:Function:TimeoutMs</c> or its <c>timeout_ms</c>).</summary>
    public const string Timeout = "timeout";
    /// <summary>The block's output is larger than <c>Limits:MaxOutputBytes</c> as JSON.</summary>
    public const string OutputTooLarge = "output_too_large";
    /// <summary>The block's output is nested deeper than <c>Limits:MaxJsonDepth</c>.</summary>
    public const string OutputTooDeep = "output_too_deep";

    /// <summary>The output holds a string no JSON text can carry as written (an unpaired UTF-16 surrogate).</summary>
    public const string OutputInvalid = "output_invalid";
}
