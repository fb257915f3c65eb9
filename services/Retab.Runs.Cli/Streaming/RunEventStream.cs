using Retab.Runs.Cli.Api;

namespace Retab.Runs.Cli.Streaming;

/// <summary>
/// Follows <c>GET /v1/workflows/tests/runs/{id}/events?results=true</c> until the final event, reconnecting with
/// <c>Last-Event-ID</c> when the connection drops or goes silent (a heartbeat comes every 15 s, so 45 s of silence is a
/// dead connection). Gives up after <see cref="MaxReconnects"/> tries in a row that received nothing.
/// </summary>
public sealed class RunEventStream(RetabRunsClient client, TimeSpan reconnectDelay, TimeProvider time)
{
    public const int MaxReconnects = 5;
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(45);

    /// <summary>The id of the last event handled; a reconnection resumes after it.</summary>
    public string? LastEventId { get; private set; }

    /// <summary>Calls <paramref name="onEvent"/> for every event, in order, and returns the final event's run.</summary>
    public async Task<RunEvent.Final> FollowAsync(string runId, Func<RunEvent, Task> onEvent, CancellationToken cancel)
    {
        var path = $"v1/workflows/tests/runs/{Uri.EscapeDataString(runId)}/events?results=true";
        var failuresInARow = 0;
        while (true)
        {
            Exception? dropped;
            try
            {
                var final = await ReadOnceAsync(path, onEvent, () => failuresInARow = 0, cancel);
                if (final is not null)
                    return final;
                dropped = null;
            }
            catch (Exception error) when (error is IOException or HttpRequestException or ServiceUnreachableException
                                          || (error is OperationCanceledException && !cancel.IsCancellationRequested))
            {
                dropped = error;
            }
            if (++failuresInARow > MaxReconnects)
                throw new CliException($"The event stream of run {runId} kept dropping ({dropped?.Message ?? "closed before the run ended"}); " +
                                       $"follow it again with: retab-runs runs watch {runId}");
            await Task.Delay(reconnectDelay * Math.Pow(2, failuresInARow - 1), time, cancel);
        }
    }

    /// <summary>One connection: null when it ended before the final event.</summary>
    private async Task<RunEvent.Final?> ReadOnceAsync(string path, Func<RunEvent, Task> onEvent, Action received, CancellationToken cancel)
    {
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        silence.CancelAfter(Silence);
        using var response = await client.OpenStreamAsync(path, LastEventId, silence.Token);
        // A proxy or a gateway restarting answers 5xx for a moment: that is a drop to retry, not the service's refusal.
        if ((int)response.StatusCode >= 500)
            throw new HttpRequestException($"the service answered {(int)response.StatusCode}", null, response.StatusCode);
        if (!response.IsSuccessStatusCode)
            throw ApiException.From(response.StatusCode, await response.Content.ReadAsStringAsync(silence.Token));
        await using var content = await response.Content.ReadAsStreamAsync(silence.Token);
        await foreach (var sse in ServerSentEventReader.ReadAsync(content, silence.Token))
        {
            silence.CancelAfter(Silence);
            received();
            var runEvent = RunEvent.From(sse);
            if (runEvent is not null)
                await onEvent(runEvent);
            LastEventId = sse.Id ?? LastEventId;
            if (runEvent is RunEvent.Final final)
                return final;
        }
        return null;
    }
}
