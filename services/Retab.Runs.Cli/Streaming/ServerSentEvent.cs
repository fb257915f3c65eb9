namespace Retab.Runs.Cli.Streaming;

/// <summary>One dispatched event of a <c>text/event-stream</c>: its type (<c>message</c> when unnamed), its id and its data lines joined by <c>\n</c>.</summary>
public sealed record ServerSentEvent(string Event, string? Id, string Data);
