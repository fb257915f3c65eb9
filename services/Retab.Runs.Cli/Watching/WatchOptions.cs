namespace Retab.Runs.Cli.Watching;

/// <param name="Json">Print only <c>{"run": …, "results": [...]}</c> at the end.</param>
/// <param name="JUnitPath">Also write the run as JUnit XML here.</param>
/// <param name="CancelOnInterrupt">Ctrl+C cancels the run without asking.</param>
public sealed record WatchOptions(bool Json, string? JUnitPath, bool CancelOnInterrupt);
