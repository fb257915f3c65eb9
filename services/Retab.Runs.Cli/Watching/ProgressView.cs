using Spectre.Console;
using Spectre.Console.Rendering;

namespace Retab.Runs.Cli.Watching;

/// <summary>The live display of a terminal: a bar split by outcome (what is left in grey) over a line of counts and speed.</summary>
public static class ProgressView
{
    public static IRenderable Render(RunProgress progress, ProgressFigures figures)
    {
        var bar = new BreakdownChart().HideTags().HideTagValues();
        AddShare(bar, progress.Passed, Color.Green);
        AddShare(bar, progress.Failed, Color.Red);
        AddShare(bar, progress.Blocked, Color.Yellow);
        AddShare(bar, progress.Error, Color.Fuchsia);
        AddShare(bar, progress.Cancelled, Color.Grey50);
        AddShare(bar, Math.Max(progress.Total - progress.Done, progress.Total == 0 ? 1 : 0), Color.Grey23);

        var counts = new Markup(
            $"[bold]{Markup.Escape(progress.Status)}[/] {progress.Done}/{progress.Total}  " +
            $"[green]passed {progress.Passed}[/]  [red]failed {progress.Failed}[/]  [yellow]blocked {progress.Blocked}[/]  " +
            $"[fuchsia]error {progress.Error}[/]  [grey50]cancelled {progress.Cancelled}[/]  " +
            $"{ProgressText.Rate(figures)}  elapsed {ProgressText.Duration(figures.Elapsed)}  ETA {ProgressText.Eta(figures)}");
        return new Rows(bar, counts);
    }

    private static void AddShare(BreakdownChart bar, int count, Color color)
    {
        if (count > 0)
            bar.AddItem("", count, color);
    }
}
