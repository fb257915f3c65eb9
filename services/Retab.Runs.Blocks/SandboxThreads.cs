using System.Collections.Concurrent;

namespace Retab.Runs.Blocks;

/// <summary>
/// A few long-lived threads with large stacks that run user code. Jint recurses on the native stack for deeply nested
/// values (<c>JSON.stringify</c> of a 100,000-deep array, for instance) in ways its recursion limit does not count,
/// and a .NET stack overflow cannot be caught: it would kill the worker. The stack is reserved, not committed, so
/// its size costs address space only; the engine's memory limit bounds how deep a value can get.
/// The threads are kept rather than created per test: starting a thread costs more than running a small function,
/// and JavaScript is CPU-bound, so more threads than cores would only take turns.
/// <para>
/// Jint checks its limits between statements, so one long native call (a regular expression backtracking, a huge
/// allocation, a blocking built-in) can hold a thread past every limit. A watchdog therefore gives each piece of work
/// its time limit plus <see cref="Grace"/>, counted from the moment a thread picks it up, and answers the caller
/// itself once that has passed (<see cref="TimeoutException"/>), or at once when the caller's token is cancelled.
/// A thread still busy then is abandoned: its work is told to stop at its next check, a new thread takes its place,
/// and the old one ends as soon as its work returns, without taking more. A thread that never returns costs its
/// stack's address space and whatever CPU it spins, never a place in the pool.
/// </para>
/// </summary>
public sealed class SandboxThreads : IDisposable
{
    private const int StackBytes = 512 * 1024 * 1024;

    private readonly BlockingCollection<SandboxWork> _work = new();
    private readonly Action<SandboxThreadAbandoned>? _onAbandoned;
    private int _threadsStarted;
    private int _abandonedStillRunning;

    /// <param name="threadCount">Threads that serve work at any time (abandoned threads are replaced, so never fewer).</param>
    /// <param name="grace">How long past its time limit or its cancellation work may take to return by itself before its thread is abandoned.</param>
    /// <param name="onAbandoned">Told each time a thread is abandoned (for logs); called on a timer thread.</param>
    public SandboxThreads(int threadCount, TimeSpan grace, Action<SandboxThreadAbandoned>? onAbandoned = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        Grace = grace;
        _onAbandoned = onAbandoned;
        for (var i = 0; i < threadCount; i++)
            StartThread();
    }

    public TimeSpan Grace { get; }

    /// <summary>Threads abandoned by the watchdog whose work has not returned yet.</summary>
    public int AbandonedThreadsStillRunning => Volatile.Read(ref _abandonedStillRunning);

    /// <summary>
    /// Runs <paramref name="work"/> on a sandbox thread. The token it receives is cancelled when the caller's token is,
    /// and when the watchdog gives up on it; the work should stop at its next check. The task ends with the work's
    /// result or exception, with <see cref="TimeoutException"/> when the work ran past
    /// <paramref name="timeLimit"/> plus <see cref="Grace"/>, or as cancelled as soon as <paramref name="cancellationToken"/> is.
    /// </summary>
    public Task<T> RunAsync<T>(Func<CancellationToken, T> work, TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled<T>(cancellationToken);
        var item = new SandboxWork<T>(this, work, timeLimit, cancellationToken);
        _work.Add(item, CancellationToken.None);
        return item.Task;
    }

    /// <summary>Lets the threads finish the work already queued, then end.</summary>
    public void Dispose() => _work.CompleteAdding();

    private void StartThread()
    {
        var number = Interlocked.Increment(ref _threadsStarted);
        new Thread(Serve, StackBytes)
        {
            // An abandoned thread may still be running user code when the worker stops: it must not keep the process alive.
            IsBackground = true,
            Name = $"retab-runs-sandbox-{number}",
        }.Start();
    }

    private void Serve()
    {
        foreach (var work in _work.GetConsumingEnumerable())
        {
            if (!work.RunOnThisThread())
            {
                // The watchdog gave up on this thread and started another in its place: leave the pool.
                Interlocked.Decrement(ref _abandonedStillRunning);
                return;
            }
        }
    }

    private void Abandoned(SandboxThreadAbandoned abandoned)
    {
        Interlocked.Increment(ref _abandonedStillRunning);
        StartThread();
        _onAbandoned?.Invoke(abandoned);
    }

    private abstract class SandboxWork
    {
        /// <summary>Runs the work if nobody cancelled it while it waited; false when the watchdog abandoned this thread meanwhile.</summary>
        public abstract bool RunOnThisThread();
    }

    private sealed class SandboxWork<T> : SandboxWork
    {
        private enum State { Queued, Running, Done, Abandoned }

        private readonly SandboxThreads _owner;
        private readonly Func<CancellationToken, T> _work;
        private readonly TimeSpan _timeLimit;
        private readonly CancellationToken _callerToken;
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _stop;
        private readonly Timer _watchdog;
        private readonly Lock _lock = new();
        private State _state = State.Queued;
        private string? _thread;
        private long _abandonAt;
        private CancellationTokenRegistration _onCallerCancelled;

        public SandboxWork(SandboxThreads owner, Func<CancellationToken, T> work, TimeSpan timeLimit, CancellationToken callerToken)
        {
            _owner = owner;
            _work = work;
            _timeLimit = timeLimit;
            _callerToken = callerToken;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
            _watchdog = new Timer(static self => ((SandboxWork<T>)self!).GiveUp(), this, Timeout.Infinite, Timeout.Infinite);
            _onCallerCancelled = callerToken.Register(static self => ((SandboxWork<T>)self!).CallerCancelled(), this);
        }

        public Task<T> Task => _completion.Task;

        public override bool RunOnThisThread()
        {
            var cancelledWhileQueued = false;
            lock (_lock)
            {
                if (_completion.Task.IsCompleted)
                {
                    cancelledWhileQueued = true;
                    _state = State.Done;
                }
                else
                {
                    _state = State.Running;
                    _thread = Thread.CurrentThread.Name;
                    ArmWatchdog(_callerToken.IsCancellationRequested ? _owner.Grace : _timeLimit + _owner.Grace);
                }
            }
            if (cancelledWhileQueued)
            {
                Release();
                return true;
            }

            T result;
            try
            {
                result = _work(_stop.Token);
            }
            catch (Exception error)
            {
                if (!Finish())
                    return false;
                if (error is OperationCanceledException && _callerToken.IsCancellationRequested)
                    _completion.TrySetCanceled(_callerToken);
                else
                    _completion.TrySetException(error);
                return true;
            }
            if (!Finish())
                return false;
            _completion.TrySetResult(result);
            return true;
        }

        /// <summary>Whether the work ended before the watchdog gave up on it (its answer is then still wanted).</summary>
        private bool Finish()
        {
            lock (_lock)
            {
                if (_state != State.Running)
                    return false;
                _state = State.Done;
            }
            Release();
            return true;
        }

        private void CallerCancelled()
        {
            // The caller gets its answer now; the thread gets the grace to notice the cancelled token by itself.
            _completion.TrySetCanceled(_callerToken);
            lock (_lock)
            {
                var untilAbandoned = _abandonAt - Environment.TickCount64;
                if (_state == State.Running && _owner.Grace.TotalMilliseconds < untilAbandoned)
                    ArmWatchdog(_owner.Grace);
            }
        }

        private void GiveUp()
        {
            lock (_lock)
            {
                if (_state != State.Running)
                    return;
                _state = State.Abandoned;
            }
            _stop.Cancel(); // the engine stops at its next check, if it ever reaches one
            _completion.TrySetException(new TimeoutException(
                $"The work did not return within its {_timeLimit.TotalMilliseconds:0} ms limit plus {_owner.Grace.TotalMilliseconds:0} ms; its thread was abandoned."));
            _onCallerCancelled.Dispose();
            _watchdog.Dispose();
            _owner.Abandoned(new SandboxThreadAbandoned(_thread ?? "?", _timeLimit, _callerToken.IsCancellationRequested));
        }

        private void ArmWatchdog(TimeSpan due)
        {
            _abandonAt = Environment.TickCount64 + (long)due.TotalMilliseconds;
            _watchdog.Change(due, Timeout.InfiniteTimeSpan);
        }

        /// <summary>Outside <see cref="_lock"/>: disposing the registration waits for a running <see cref="CallerCancelled"/>, which takes it.</summary>
        private void Release()
        {
            _onCallerCancelled.Dispose();
            _watchdog.Dispose();
            _stop.Dispose();
        }
    }
}

/// <summary>A sandbox thread the watchdog gave up on: its work ran past <see cref="TimeLimit"/> plus the grace, or past its cancellation (<see cref="Cancelled"/>) plus the grace.</summary>
public sealed record SandboxThreadAbandoned(string ThreadName, TimeSpan TimeLimit, bool Cancelled);
