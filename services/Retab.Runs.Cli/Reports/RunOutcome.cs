using System.Text.Json.Nodes;
using Retab.Runs.Cli.Watching;

namespace Retab.Runs.Cli.Reports;

/// <summary>The exit code a finished run earns (2 wins over 1): see <see cref="ExitCodes"/>.</summary>
public static class RunOutcome
{
    public static int ExitCode(JsonObject run)
    {
        var progress = RunProgress.From(run);
        if (progress.Status != "completed" || progress.Error > 0 || progress.Cancelled > 0)
            return ExitCodes.RunIncomplete;
        return progress.Failed + progress.Blocked > 0 ? ExitCodes.TestsFailed : ExitCodes.Success;
    }
}
