using Spectre.Console;

namespace Retab.Runs.Cli;

/// <summary>
/// Everything a command reads from the world outside its arguments, so tests can run commands in-process: the console
/// (Spectre's <c>TestConsole</c> in tests), the HTTP handler (a test host's), environment variables, the home and working
/// folders, Ctrl+C and the clock.
/// </summary>
public sealed record CliContext(IAnsiConsole Console)
{
    /// <summary>Where errors and notices go (stderr for the real process); the same console in tests.</summary>
    public IAnsiConsole ErrorConsole { get; init; } = Console;

    /// <summary>The handler requests go through; null: a real socket handler.</summary>
    public HttpMessageHandler? Handler { get; init; }

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The user's home, for <c>~/.config</c>; null: the OS's.</summary>
    public string? HomeDirectory { get; init; }

    /// <summary>Where <c>./data/api-key</c> is looked for.</summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    public InterruptSignal Interrupt { get; init; } = new();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The wait before reconnecting to a dropped event stream (doubled on each further try).</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Raw text (JSON documents) goes straight to the console's writer: Spectre would wrap it at the console width.</summary>
    public TextWriter Out => Console.Profile.Out.Writer;

    /// <summary>Errors and notices, unwrapped too: a path or a URL cut at the console width cannot be copied.</summary>
    public void Error(string message) => ErrorConsole.Profile.Out.Writer.WriteLine(message);
}
