namespace Retab.Runs.Cli.Watching;

public enum DisplayMode
{
    /// <summary>A terminal: one live view, redrawn in place.</summary>
    Live,

    /// <summary>Redirected output (CI logs): one plain line per second.</summary>
    Lines,

    /// <summary><c>--json</c>: nothing but the final document on stdout.</summary>
    None,
}
