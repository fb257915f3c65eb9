namespace Retab.Runs.Cli;

/// <summary>
/// Ctrl+C, as the commands that wait for a run see it. The process's handler only claims the key press while a run is
/// being followed (<see cref="IsListening"/>) and only once: a second Ctrl+C, or one during any other command, ends the
/// process the usual way. Tests raise it with <see cref="Raise"/>.
/// </summary>
public sealed class InterruptSignal
{
    private readonly CancellationTokenSource _raised = new();
    private int _listeners;

    public CancellationToken Token => _raised.Token;

    public bool IsListening => Volatile.Read(ref _listeners) > 0 && !_raised.IsCancellationRequested;

    public void Raise() => _raised.Cancel();

    /// <summary>Marks the span in which Ctrl+C asks about the run instead of ending the process.</summary>
    public IDisposable Listen()
    {
        Interlocked.Increment(ref _listeners);
        return new Listening(this);
    }

    private sealed class Listening(InterruptSignal signal) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                Interlocked.Decrement(ref signal._listeners);
        }
    }
}
