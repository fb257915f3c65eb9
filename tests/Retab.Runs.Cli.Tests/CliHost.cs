using Retab.Runs.Acceptance.Tests;
using Retab.Runs.Cli;
using Spectre.Console.Testing;

namespace Retab.Runs.Cli.Tests;

/// <summary>
/// One real standalone host (gateway, orchestrator, worker, LiteDB) for the CLI's in-process runs: commands go through
/// the host's HTTP handler, print to a <see cref="TestConsole"/> of fixed width, and read their key from the environment
/// the test gives them. Model-backed blocks point at a closed port with one quick retry, so they end in <c>error</c> at once.
/// </summary>
public sealed class CliHost : IDisposable
{
    public const int ConsoleWidth = 160;

    private readonly string _folder = Directory.CreateTempSubdirectory("retab-runs-cli-").FullName;

    public CliHost()
    {
        Host = new StandaloneHost(settings: new Dictionary<string, string?>
        {
            ["Models:BaseUrl"] = $"http://127.0.0.1:{ClosedPort.Find()}/v1",
            ["Models:MaxRetries"] = "1",
            ["Models:RetryBaseDelay"] = "00:00:00.050",
        });
        Api = Host.Client();
    }

    public StandaloneHost Host { get; }

    public ApiClient Api { get; }

    public CliContext Context(TestConsole console, InterruptSignal? interrupt = null) => new(console)
    {
        Handler = Host.Server.CreateHandler(),
        Environment = name => name switch
        {
            "RETAB_RUNS_BASE_URL" => "http://localhost/",
            "RETAB_RUNS_API_KEY" => StandaloneHost.KeyA,
            _ => null,
        },
        HomeDirectory = _folder,
        WorkingDirectory = _folder,
        Interrupt = interrupt ?? new InterruptSignal(),
        ReconnectDelay = TimeSpan.FromMilliseconds(100),
    };

    public static TestConsole Console() => (TestConsole)new TestConsole().Width(ConsoleWidth);

    /// <summary>Runs <c>retab-runs <paramref name="args"/></c> in-process, as a terminal-less CI job would.</summary>
    public async Task<CliOutcome> RunAsync(params string[] args)
    {
        var console = Console();
        var exitCode = await CliApp.RunAsync(args, Context(console));
        return new CliOutcome(exitCode, console.Output);
    }

    public string TempFile(string name) => Path.Combine(_folder, name);

    public void Dispose()
    {
        Host.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}

public sealed record CliOutcome(int ExitCode, string Output);

[CollectionDefinition(Name)]
public sealed class CliHostCollection : ICollectionFixture<CliHost>
{
    public const string Name = "standalone host";
}
