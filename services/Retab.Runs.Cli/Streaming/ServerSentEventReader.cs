using System.Runtime.CompilerServices;
using System.Text;

namespace Retab.Runs.Cli.Streaming;

/// <summary>
/// The event-stream format as the HTML standard defines it: lines end in CR, LF or CRLF; <c>field: value</c> (one space
/// after the colon is dropped); <c>:</c> starts a comment; a blank line dispatches the event; an event without data is
/// not dispatched; an unterminated event at the end of the stream is dropped (the connection broke in the middle of it).
/// The id is the stream's last event id and carries over to following events that name none.
/// </summary>
public static class ServerSentEventReader
{
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        string? lastEventId = null;
        string? eventType = null;
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(cancel) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                    yield return new ServerSentEvent(eventType ?? "message", lastEventId, data.ToString());
                eventType = null;
                data.Clear();
                hasData = false;
                continue;
            }
            if (line[0] == ':')
                continue;
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
                value = value[1..];
            switch (field)
            {
                case "event":
                    eventType = value;
                    break;
                case "data":
                    if (hasData)
                        data.Append('\n');
                    data.Append(value);
                    hasData = true;
                    break;
                case "id" when !value.Contains('\0'):
                    lastEventId = value;
                    break;
            }
        }
    }
}
