namespace Retab.Runs.Cli.Watching;

/// <summary>Elapsed time, rate and ETA as seen from this client since it started following (no clock skew with the server).</summary>
public sealed class ProgressClock(TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();
    private int? _doneAtStart;

    public ProgressFigures Measure(RunProgress progress)
    {
        _doneAtStart ??= progress.Done;
        var elapsed = time.GetElapsedTime(_started);
        var finishedHere = progress.Done - _doneAtStart.Value;
        var rate = elapsed.TotalSeconds > 0 ? finishedHere / elapsed.TotalSeconds : 0;
        var remaining = progress.Total - progress.Done;
        TimeSpan? eta = progress.IsTerminal || remaining <= 0 ? TimeSpan.Zero
            : rate > 0 ? TimeSpan.FromSeconds(remaining / rate)
            : null;
        return new ProgressFigures(elapsed, rate, eta);
    }
}

/// <param name="Eta">Null while nothing finished yet (no rate to go by).</param>
public sealed record ProgressFigures(TimeSpan Elapsed, double TestsPerSecond, TimeSpan? Eta);
