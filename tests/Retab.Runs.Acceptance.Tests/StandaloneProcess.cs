using Retab.Runs.Testing;

namespace Retab.Runs.Acceptance.Tests;

/// <summary>
/// <c>dotnet Retab.Runs.Standalone.dll</c> as a real OS process on a data folder, configured by environment
/// variables as a deployment configures it, listening on a free loopback port. Killed by its PID on dispose.
/// </summary>
public sealed class StandaloneProcess : IAsyncDisposable
{
    private const string ListeningLine = "Now listening on: ";

    private readonly DotnetProcess _process;
    private readonly TaskCompletionSource<Uri> _listening;

    private StandaloneProcess(DotnetProcess process, TaskCompletionSource<Uri> listening)
    {
        _process = process;
        _listening = listening;
    }

    public int ProcessId => _process.ProcessId;
    public int? ExitCode => _process.ExitCode;

    /// <param name="settings">More settings, in configuration form (<c>Auth:ApiKeys:0:Key</c>).</param>
    /// <param name="urls">The <c>Urls</c> setting; null leaves the address to <paramref name="settings"/> or the host's default.</param>
    public static StandaloneProcess Start(string dataFolder, IReadOnlyDictionary<string, string>? settings = null, string? urls = "http://127.0.0.1:0")
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DataFolder"] = dataFolder,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging__Console__FormatterName"] = "simple",
            ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
        };
        if (urls is not null)
            environment["Urls"] = urls;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = DotnetProcess.Start(typeof(Program).Assembly.Location, [], environment, "standalone",
            onLine: line =>
            {
                var at = line.IndexOf(ListeningLine, StringComparison.Ordinal);
                if (at >= 0)
                    // In the JSON log format the address is followed by the rest of the object: it ends at the quote.
                    listening.TrySetResult(new Uri(line[(at + ListeningLine.Length)..].Split('"')[0].Trim()));
            },
            onExited: () => listening.TrySetException(new InvalidOperationException("The standalone process exited before it listened.")));
        return new StandaloneProcess(process, listening);
    }

    /// <summary>A client on the process's address, once it listens.</summary>
    public async Task<HttpClient> ClientAsync(string apiKey)
    {
        Uri address;
        try
        {
            address = await _listening.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (Exception error) when (error is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"The standalone process did not start: {error.Message}\n{Output()}");
        }
        var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Add("Api-Key", apiKey);
        return http;
    }

    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    /// <summary>SIGTERM, as a supervisor stops it.</summary>
    public void Terminate() => _process.Terminate();

    /// <summary>Everything the process wrote (its last lines), stdout and stderr.</summary>
    public string Output() => _process.Tail();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
