using System.Diagnostics;

namespace Retab.Runs.Testing;

/// <summary>Polling for state that holds eventually: consumers bound, a run finished, the broker back.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; a timeout names what never happened.</summary>
    public static Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? interval = null, bool throughHttpErrors = false) =>
        WaitAsync(condition, timeout, () => what, interval, throughHttpErrors);

    /// <summary>
    /// As above, with a description built at the timeout (so it can show the last state seen). With
    /// <paramref name="throughHttpErrors"/>, a failed HTTP call counts as "not yet" (RabbitMQ's management API
    /// answers errors now and then while the broker is busy) and the last one is named if time runs out.
    /// </summary>
    public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what, TimeSpan? interval = null, bool throughHttpErrors = false)
    {
        var clock = Stopwatch.StartNew();
        HttpRequestException? lastError = null;
        while (true)
        {
            try
            {
                if (await condition())
                    return;
            }
            catch (HttpRequestException error) when (throughHttpErrors)
            {
                lastError = error;
            }
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for: {what()}{(lastError is null ? "" : $" (last error: {lastError.Message})")}");
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>Polls <paramref name="find"/> until it finds something, and returns it; a timeout names what never came.</summary>
    public static async Task<T> FindAsync<T>(Func<T?> find, TimeSpan timeout, string what) where T : class
    {
        T? found = null;
        await WaitAsync(() => Task.FromResult((found = find()) is not null), timeout, what, TimeSpan.FromMilliseconds(25));
        return found!;
    }
}
