using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Retab.Runs.Acceptance.Tests.Observability;

/// <summary>Every log entry of a host, as a log exporter would receive it: message, structured properties and exception.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, string?> Properties, string? Exception)
    {
        /// <summary>Everything of the entry that leaves the process.</summary>
        public string Everything => $"{Message} {string.Join(" ", Properties.Select(p => $"{p.Key}={p.Value}"))} {Exception}";

        public override string ToString() => $"{Level} {Category}[{EventId.Id}] {Message}";
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value?.ToString())
                : new Dictionary<string, string?>();
            entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), properties, exception?.ToString()));
        }
    }
}
