namespace Retab.Runs.Core.Assertions.Evaluators;

/// <summary>The shared rules for conditions that need <see cref="IAssertionModel"/>.</summary>
internal static class ModelCalls
{
    public static Verdict Unavailable(string kind) =>
        Verdict.Block(AssertionFailureCodes.ModelUnavailable, $"{kind} needs a model and none is configured");

    /// <summary>
    /// Runs a model call; any failure except the caller's own cancellation becomes <c>model_error</c>, because a
    /// model outage must block the assertion, not crash the evaluation or pass it. A model that stayed unavailable
    /// through every retry is the exception: the test could not run, so it ends in <c>error</c> (the worker maps it).
    /// </summary>
    public static async ValueTask<(T? Value, Verdict? Blocked)> CallAsync<T>(string kind, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return (await call().ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not Execution.ModelUnavailableException)
        {
            return (default, Verdict.Block(AssertionFailureCodes.ModelError, $"the model failed during {kind}: {ex.Message}",
                new System.Text.Json.Nodes.JsonObject { ["exception"] = ex.GetType().Name }));
        }
    }
}
