namespace Retab.Runs.Core.Execution;

/// <summary>
/// The model server could not answer after every retry (429, 5xx, timeouts): the infrastructure failed, not the
/// user's block, so the test ends in lifecycle <c>error</c> with code <c>model_unavailable</c> (<see cref="Runs.RunErrorCodes.ModelUnavailable"/>), never as a verdict.
/// </summary>
public sealed class ModelUnavailableException(string message, int? statusCode = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The HTTP status of the last try, when the server answered at all.</summary>
    public int? StatusCode { get; } = statusCode;
}
