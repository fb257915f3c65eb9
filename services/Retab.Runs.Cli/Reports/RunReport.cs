using System.Globalization;
using System.Text.Json.Nodes;
using Retab.Runs.Cli.Api;
using Retab.Runs.Cli.Commands;
using Retab.Runs.Cli.Watching;
using Spectre.Console;

namespace Retab.Runs.Cli.Reports;

/// <summary>What is printed when a followed run ends: one summary line, then a table of the tests that did not pass.</summary>
public static class RunReport
{
    public const int CellWidth = 60;

    /// <summary>A cancelled run of thousands of tests should not scroll the summary away: the rest is one command away.</summary>
    public const int MaxRows = 50;

    public static void Write(IAnsiConsole console, JsonObject run, IReadOnlyList<ResultRow> rows)
    {
        // Written as is: a log line that Spectre wrapped at the console width would no longer match a grep.
        console.Profile.Out.Writer.WriteLine(SummaryLine(run));
        // Failures first: they are what the reader came for; cancelled tests say little each.
        var notPassed = rows.Where(row => !row.Passed).OrderBy(row => row.Outcome switch
        {
            "failed" => 0,
            "blocked" => 1,
            "error" => 2,
            _ => 3,
        }).ToList();
        if (notPassed.Count == 0)
            return;
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("Test", "Block", "Outcome", "Code", "Expected", "Actual");
        foreach (var row in notPassed.Take(MaxRows))
            table.AddRow(Cells.Of(row.TestName, row.BlockId, row.Outcome, row.Code ?? "",
                Shorten(row.Expected ?? ""), Shorten(row.Actual ?? (row.Verdict is null ? row.Message : null) ?? "")));
        console.Write(table);
        if (notPassed.Count > MaxRows)
            console.Profile.Out.Writer.WriteLine(
                $"… and {notPassed.Count - MaxRows} more: retab-runs results list --run {RunProgress.From(run).RunId}");
    }

    /// <summary><c>Run wftestrun_… completed in 1.4s: 12 tests, 10 passed, 1 failed, 1 blocked, 0 error, 0 cancelled</c>.</summary>
    public static string SummaryLine(JsonObject run)
    {
        var progress = RunProgress.From(run);
        var duration = run.Long("timing", "duration_ms") is { } ms
            ? string.Create(CultureInfo.InvariantCulture, $" in {ms / 1000.0:0.0}s")
            : "";
        var reason = progress.Status switch
        {
            "error" => run.Str("lifecycle", "message") is { } message ? $" ({message})" : "",
            "cancelled" => run.Str("lifecycle", "reason") is { } why ? $" ({why})" : "",
            _ => "",
        };
        return $"Run {progress.RunId} {progress.Status}{reason}{duration}: {progress.Total} tests, {progress.Passed} passed, " +
               $"{progress.Failed} failed, {progress.Blocked} blocked, {progress.Error} error, {progress.Cancelled} cancelled";
    }

    /// <summary>At most <see cref="CellWidth"/> characters on one line, an ellipsis marking the cut.</summary>
    public static string Shorten(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= CellWidth ? oneLine : oneLine[..(CellWidth - 1)] + "…";
    }
}
