using System.Collections.Concurrent;

namespace Retab.Runs.Blocks;

/// <summary>
/// A few long-lived threads with large stacks that run user code. Jint recurses on the native stack for deeply nested
/// values (<c>JSON.stringify</c> of a 100,000-deep array, for instance) in ways its recursion limit does not count,
/// and a .NET stack overflow cannot be caught: it would kill the worker. The stack is reserved, not committed, so
/// its size costs address space only; the engine's memory limit bounds how deep a value can get.
/// The threads are kept rather than created per test: starting a thread costs more than running a small function,
/// and JavaScript is CPU-bound, so more threads than cores would only take turns.
/// </summary>
public sealed class SandboxThreads : IDisposable
{
    private const int StackBytes = 512 * 1024 * 1024;

    private readonly BlockingCollection<Action> _work = new();

    public SandboxThreads(int threadCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        for (var i = 0; i < threadCount; i++)
        {
            new Thread(Serve, StackBytes)
            {
                IsBackground = true,
                Name = $"retab-runs-sandbox-{i}",
            }.Start();
        }
    }

    public Task<T> RunAsync<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                completion.SetResult(work());
            }
            catch (Exception error)
            {
                completion.SetException(error);
            }
        });
        return completion.Task;
    }

    /// <summary>Lets the threads finish the work already queued, then end.</summary>
    public void Dispose() => _work.CompleteAdding();

    private void Serve()
    {
        foreach (var work in _work.GetConsumingEnumerable())
            work();
    }
}
