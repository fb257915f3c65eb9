using System.Text.Json.Nodes;
using Retab.Runs.Cli.Api;
using Retab.Runs.Cli.Streaming;
using Spectre.Console;

namespace Retab.Runs.Cli.Watching;

/// <summary>
/// Follows one run to its end and shows its progress meanwhile. Keeps what it learnt (the latest progress, the results
/// by id, the stream's position) across calls, so following again after an interruption resumes where it stopped.
/// </summary>
public sealed class RunFollower(RetabRunsClient client, CliContext context, string runId, RunProgress initial)
{
    private static readonly TimeSpan LiveRefresh = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(1);

    private readonly RunEventStream _stream = new(client, context.ReconnectDelay, context.Time);
    private readonly ProgressClock _clock = new(context.Time);

    public RunProgress Progress { get; private set; } = initial;

    /// <summary>Every result the stream sent, deduplicated by result id (a resumed stream may send one again).</summary>
    public Dictionary<string, JsonObject> Results { get; } = [];

    /// <summary>Follows until the run ends and returns the final run resource.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired first.</exception>
    public async Task<JsonObject> FollowAsync(DisplayMode mode, CancellationToken cancel)
    {
        switch (mode)
        {
            case DisplayMode.Live:
                JsonObject? final = null;
                await context.Console.Live(ProgressView.Render(Progress, _clock.Measure(Progress))).AutoClear(false).StartAsync(async live =>
                    final = await ProgressTicker.ShowWhileAsync(FollowQuietlyAsync(cancel), LiveRefresh, context.Time,
                        () => live.UpdateTarget(ProgressView.Render(Progress, _clock.Measure(Progress)))));
                return final!;
            case DisplayMode.Lines:
                return await ProgressTicker.ShowWhileAsync(FollowQuietlyAsync(cancel), LineInterval, context.Time,
                    () => context.Out.WriteLine(ProgressText.Line(Progress, _clock.Measure(Progress))));
            default:
                return await FollowQuietlyAsync(cancel);
        }
    }

    private async Task<JsonObject> FollowQuietlyAsync(CancellationToken cancel)
    {
        var final = await _stream.FollowAsync(runId, Apply, cancel);
        Progress = RunProgress.From(final.Run);
        return final.Run;
    }

    private Task Apply(RunEvent runEvent)
    {
        switch (runEvent)
        {
            case RunEvent.Progress progress:
                Progress = RunProgress.From(progress.Data);
                break;
            case RunEvent.Result result when result.Data.Str("id") is { } id:
                Results[id] = result.Data;
                break;
        }
        return Task.CompletedTask;
    }
}
