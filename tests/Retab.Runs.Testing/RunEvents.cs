using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;

namespace Retab.Runs.Testing;

/// <summary>Reads a run's live stream (<c>GET …/runs/{id}/events</c>) as a client would, event by event.</summary>
public static class RunEvents
{
    public sealed record Event(string Type, string? Id, JsonNode Data);

    /// <summary>
    /// The events of the stream until it ends, or until <paramref name="stopAfter"/> says so (the connection is then
    /// dropped, as a client that goes away drops it). Throws if the stream is still open after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<List<Event>> ReadAsync(
        HttpClient http, string runId, bool results = true, string? lastEventId = null,
        Func<IReadOnlyList<Event>, bool>? stopAfter = null, TimeSpan? timeout = null, string? path = null)
    {
        using var timer = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Get, path ?? $"/v1/workflows/tests/runs/{runId}/events" + (results ? "?results=true" : ""));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timer.Token);
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            throw new HttpRequestException($"The stream of run {runId} answered {(int)response.StatusCode} {response.Content.Headers.ContentType}: "
                + await response.Content.ReadAsStringAsync(timer.Token));

        var events = new List<Event>();
        await using var body = await response.Content.ReadAsStreamAsync(timer.Token);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(timer.Token))
        {
            events.Add(new Event(item.EventType, item.EventId, JsonNode.Parse(item.Data)!));
            if (stopAfter?.Invoke(events) == true)
                break;
        }
        return events;
    }

    public static bool IsFinal(Event e) => e.Type is "completed" or "cancelled" or "error";

    public static int Ended(JsonNode counts)
    {
        var lifecycle = counts["lifecycle_counts"]!;
        return lifecycle["completed"]!.GetValue<int>() + lifecycle["error"]!.GetValue<int>() + lifecycle["cancelled"]!.GetValue<int>();
    }
}
