using System.ClientModel;
using Polly.Timeout;
using Retab.Runs.Core.Execution;

namespace Retab.Runs.Models;

/// <summary>
/// Turns what the OpenAI client throws once the resilience handler has given up into
/// <see cref="ModelUnavailableException"/>, so every caller (blocks, assertions) sees one exception naming the
/// status code. The caller's own cancellation (the test's deadline, a cancelled run) is never translated.
/// </summary>
internal static class ModelFailures
{
    public static async Task<T> CallAsync<T>(Func<Task<T>> call, string model, CancellationToken cancellationToken)
    {
        // For the retry metric, which the HTTP pipeline records without seeing the model (see ModelCallModel).
        ModelCallModel.Current = model;
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ClientResultException error) when (error.Status > 0)
        {
            throw new ModelUnavailableException(
                $"The model server answered HTTP {error.Status} for model '{model}' after its last try: {ModelText.Bounded(error.Message, 500)}", error.Status, error);
        }
        catch (Exception error) when (IsTransport(error))
        {
            throw new ModelUnavailableException($"The model server did not answer for model '{model}' after its last try: {ModelText.Bounded(error.Message, 500)}", inner: error);
        }
    }

    /// <summary>
    /// No answer at all (connection refused, every try timed out), or an answer the client could not read: retrying
    /// at the test level would not help either, and the user's block is not at fault.
    /// </summary>
    private static bool IsTransport(Exception error) => error is ClientResultException or HttpRequestException or TimeoutRejectedException
        or OperationCanceledException or System.Text.Json.JsonException or FormatException
        || error.InnerException is { } inner && IsTransport(inner);

    
}
