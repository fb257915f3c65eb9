namespace Retab.Runs.Messaging;

/// <summary>
/// A message that can never be processed (missing ids, unknown enum values): it is not retried and goes
/// straight to the <c>_error</c> queue, with this reason in its fault headers.
/// </summary>
public sealed class InvalidMessageException(string message) : Exception(message);
