using Microsoft.Extensions.Logging;

namespace Retab.Runs.Integration.Tests.Infrastructure;

/// <summary>Host logs (warnings and above) into the test's output, prefixed with the host's name.</summary>
public sealed class TestOutputLoggerProvider(ITestOutputHelper output, string host, LogLevel minimum = LogLevel.Warning) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, host, categoryName, minimum);

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper output, string host, string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} [{host}] {logLevel} {category}: {formatter(state, exception)}";
            if (exception is not null)
                line += $" | {exception.GetType().Name}: {exception.Message}";
            try
            {
                output.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // The test already finished (a host still shutting down); nobody is listening.
            }
        }
    }
}
