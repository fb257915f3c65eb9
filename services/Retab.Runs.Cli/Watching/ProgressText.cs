using System.Globalization;

namespace Retab.Runs.Cli.Watching;

/// <summary>The words of a progress report, shared by the live view and the one-line-per-second log form.</summary>
public static class ProgressText
{
    /// <summary><c>[00:12] running 7/12  passed 5  failed 1  blocked 1  error 0  cancelled 0  2.3 tests/s  ETA 00:02</c>: plain ASCII for CI logs.</summary>
    public static string Line(RunProgress progress, ProgressFigures figures) => string.Create(CultureInfo.InvariantCulture,
        $"[{Duration(figures.Elapsed)}] {progress.Status} {progress.Done}/{progress.Total}  passed {progress.Passed}  failed {progress.Failed}  " +
        $"blocked {progress.Blocked}  error {progress.Error}  cancelled {progress.Cancelled}  {Rate(figures)}  ETA {Eta(figures)}");

    public static string Rate(ProgressFigures figures) => string.Create(CultureInfo.InvariantCulture, $"{figures.TestsPerSecond:0.0} tests/s");

    public static string Eta(ProgressFigures figures) => figures.Eta is { } eta ? Duration(eta) : "--:--";

    /// <summary><c>mm:ss</c>, or <c>h:mm:ss</c> past an hour.</summary>
    public static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes:00}:{span.Seconds:00}");
}
