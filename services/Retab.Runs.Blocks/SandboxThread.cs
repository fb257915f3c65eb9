namespace Retab.Runs.Blocks;

/// <summary>
/// Runs user code on a dedicated thread with a large stack. Jint recurses on the native stack for deeply nested
/// values (<c>JSON.stringify</c> of a 100,000-deep array, for instance) in ways its recursion limit does not count,
/// and a .NET stack overflow cannot be caught: it would kill the worker. The stack is reserved, not committed,
/// so the size costs address space only; the engine's memory limit bounds how deep a value can get.
/// </summary>
internal static class SandboxThread
{
    private const int StackBytes = 512 * 1024 * 1024;

    public static Task<T> RunAsync<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                completion.SetResult(work());
            }
            catch (Exception error)
            {
                completion.SetException(error);
            }
        }, StackBytes)
        {
            IsBackground = true,
            Name = "retab-runs-sandbox",
        };
        thread.Start();
        return completion.Task;
    }
}
