using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace Retab.Runs.Cli.Streaming;

/// <summary>
/// Events of a <c>text/event-stream</c> body, parsed by the runtime's <see cref="SseParser"/> (the HTML standard's rules:
/// CR/LF/CRLF line ends, comments, multi-line data, an unterminated event at the end dropped). Each event carries the
/// stream's last event id, the cursor a reconnection sends back as <c>Last-Event-ID</c>.
/// </summary>
public static class ServerSentEventReader
{
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        var parser = SseParser.Create(body);
        await foreach (var item in parser.EnumerateAsync(cancel))
            yield return new ServerSentEvent(item.EventType, parser.LastEventId is { Length: > 0 } id ? id : null, item.Data);
    }
}
