using Retab.Runs.Testing;

namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>How a stack of services stops: in reverse order of start, then its virtual host and data folder; every failure is kept, none stops the rest.</summary>
internal static class StackTeardown
{
    public static async Task StopAsync(IReadOnlyList<IAsyncDisposable> started, IsolatedVirtualHost virtualHost, string dataFolder, string what)
    {
        var errors = new List<Exception>();
        for (var i = started.Count - 1; i >= 0; i--)
        {
            try
            {
                await started[i].DisposeAsync();
            }
            catch (Exception error)
            {
                errors.Add(error);
            }
        }
        await virtualHost.DisposeAsync();
        try
        {
            if (Directory.Exists(dataFolder))
                Directory.Delete(dataFolder, recursive: true);
        }
        catch (IOException error)
        {
            errors.Add(error);
        }
        if (errors.Count > 0)
            throw new AggregateException($"Stopping {what} failed", errors);
    }
}
