namespace Retab.Runs.Cli.Watching;

/// <summary>Redraws while work goes on: at once, every interval of the given clock, and once more when the work ends.</summary>
public static class ProgressTicker
{
    public static async Task<T> ShowWhileAsync<T>(Task<T> work, TimeSpan interval, TimeProvider time, Action show)
    {
        show();
        while (!work.IsCompleted)
        {
            await Task.WhenAny(work, Task.Delay(interval, time));
            show();
        }
        return await work;
    }
}
