using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;
using Retab.Runs.Gateway.Apis;
using Retab.Runs.Gateway.Responses;

namespace Retab.Runs.Gateway.Streams;

/// <summary>
/// The live events of one run (<c>GET /v1/workflows/tests/runs/{run_id}/events</c>): <c>progress</c> whenever its
/// lifecycle or counts change, a <c>result</c> per ended test when asked, then one final event named after the run's
/// terminal status, and the end. Everything is read from the store, which every gateway shares, so any instance
/// behind a load balancer serves any client and a reconnect may land on another one. That is also why a stream ends,
/// without a final event, when its gateway shuts down: an open stream must not hold the shutdown up, and the client
/// resumes elsewhere.
/// </summary>
public sealed class RunEventStream(IRunStore runs, ReadModels readModels, TimeProvider time, JsonSerializerOptions json, IHostApplicationLifetime lifetime)
{
    public const string Progress = "progress";
    public const string Result = "result";
    public const string Heartbeat = "heartbeat";

    /// <summary>How often the run is read: changes are coalesced to at most this rate (about ten events a second).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How often, at most, ended results are looked for while tests keep ending.</summary>
    public static readonly TimeSpan ResultsInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>An event at least this often, so proxies do not close a quiet connection.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    /// <summary>How long an ended run's slots may still be moving (a store without transactions ends the run first).</summary>
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(5);

    public async IAsyncEnumerable<SseItem<string>> ReadAsync(
        TestRun run, bool withResults, RunEventCursor cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var results = new ResultFeed(runs, run.OrganizationId, run.Id, cursor);
        RunProgressResponse? sent = null;
        var lastEventAt = time.GetUtcNow();
        var resultsReadAt = DateTimeOffset.MinValue;
        int? endedWhenRead = null;
        while (true)
        {
            var progress = RunProgressResponse.From(run);
            if (progress != sent)
            {
                yield return Event(Progress, progress, results.Cursor);
                (sent, lastEventAt) = (progress, time.GetUtcNow());
            }

            var ended = RunLifecycle.IsTerminal(run.Status);
            var endedTests = EndedTests(run.Counts);
            if (withResults && (ended || (endedTests != endedWhenRead && time.GetUtcNow() - resultsReadAt >= ResultsInterval)))
            {
                var settleUntil = time.GetUtcNow() + SettleLimit;
                do
                {
                    await foreach (var result in results.ReadEndedAsync(cancellationToken))
                        yield return Event(Result, ResultResponse.From(result), results.Cursor);
                }
                while (ended && results.SomeActive && time.GetUtcNow() < settleUntil && await WaitAsync(cancellationToken));
                (endedWhenRead, resultsReadAt, lastEventAt) = (endedTests, time.GetUtcNow(), time.GetUtcNow());
            }

            if (ended)
            {
                yield return Event(run.Status.ToString().ToLowerInvariant(), await readModels.RunAsync(run, cancellationToken), results.Cursor);
                yield break;
            }
            if (time.GetUtcNow() - lastEventAt >= HeartbeatInterval)
            {
                yield return Event(Heartbeat, new { }, results.Cursor);
                lastEventAt = time.GetUtcNow();
            }

            if (!await WaitAsync(cancellationToken))
                yield break;
            // Runs are never deleted while a client may watch them, but a store that lost one ends the stream cleanly.
            if (await runs.GetRunAsync(run.OrganizationId, run.Id, cancellationToken) is not { } current)
                yield break;
            run = current;
        }
    }

    private static int EndedTests(RunCounts counts) => counts.Completed + counts.Error + counts.Cancelled;

    /// <summary>Waits one poll; false when the gateway is shutting down (the stream then ends).</summary>
    private async Task<bool> WaitAsync(CancellationToken requestAborted)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
        await Task.Delay(PollInterval, time, either.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        requestAborted.ThrowIfCancellationRequested();
        return !lifetime.ApplicationStopping.IsCancellationRequested;
    }

    private SseItem<string> Event<T>(string type, T data, RunEventCursor cursor) =>
        new(JsonSerializer.Serialize(data, json), type) { EventId = cursor.Text };

    /// <summary>
    /// The ended results of one run not yet sent, in id order. Slots only move forward, so once the first result still
    /// active is known, every result below it has ended: the cursor moves up to there, and the few sent above it are
    /// remembered until it passes them.
    /// </summary>
    private sealed class ResultFeed(IRunStore runs, string organizationId, string runId, RunEventCursor cursor)
    {
        private readonly SortedSet<string> _sentAboveCursor = new(StringComparer.Ordinal);

        public RunEventCursor Cursor { get; private set; } = cursor;

        /// <summary>Whether the last read found a result still active.</summary>
        public bool SomeActive { get; private set; }

        public async IAsyncEnumerable<TestResult> ReadEndedAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            // Read first: whatever sorts below it has ended before the ended ones are read, and so is among them.
            var firstActive = (await runs.ListResultsAsync(organizationId, new ResultQuery(runId, Ended: false),
                new PageRequest(1, Order: SortOrder.Asc), cancellationToken)).Data.FirstOrDefault()?.Id;
            SomeActive = firstActive is not null;

            var after = Cursor.SentThrough;
            do
            {
                var page = await runs.ListResultsAsync(organizationId, new ResultQuery(runId, Ended: true),
                    new PageRequest(PageRequest.MaxLimit, After: after, Order: SortOrder.Asc), cancellationToken);
                foreach (var result in page.Data)
                {
                    var isNew = _sentAboveCursor.Add(result.Id);
                    if (firstActive is null || string.CompareOrdinal(result.Id, firstActive) < 0)
                    {
                        Cursor = new RunEventCursor(result.Id);
                        while (_sentAboveCursor.Count > 0 && string.CompareOrdinal(_sentAboveCursor.Min, result.Id) <= 0)
                            _sentAboveCursor.Remove(_sentAboveCursor.Min!);
                    }
                    if (isNew)
                        yield return result;
                }
                after = page.After;
            }
            while (after is not null);
        }
    }
}
