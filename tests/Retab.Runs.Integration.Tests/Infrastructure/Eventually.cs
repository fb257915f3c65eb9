using System.Diagnostics;

namespace Retab.Runs.Integration.Tests.Infrastructure;

public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; a timeout names what never happened.</summary>
    public static Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? interval = null) =>
        WaitAsync(condition, timeout, () => what, interval);

    /// <summary>As above, with a description built at the timeout (so it can show the last state seen).</summary>
    public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for: {what()}");
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(250));
        }
    }
}
