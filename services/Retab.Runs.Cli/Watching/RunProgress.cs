using System.Text.Json.Nodes;
using Retab.Runs.Cli.Api;

namespace Retab.Runs.Cli.Watching;

/// <summary>Where a run stands: its status and the run resource's flat counts (a progress event and a run carry the same fields).</summary>
public sealed record RunProgress(string RunId, string Status, int Total, int Queued, int Running, int Passed, int Failed, int Blocked, int Error, int Cancelled)
{
    /// <summary>Tests that ended, whatever the way.</summary>
    public int Done => Passed + Failed + Blocked + Error + Cancelled;

    public bool IsTerminal => Status is "completed" or "cancelled" or "error";

    /// <summary>From a run resource (<c>id</c>) or a progress event (<c>run_id</c>).</summary>
    public static RunProgress From(JsonObject run) => new(
        run.Str("run_id") ?? run.Str("id") ?? "",
        run.Str("lifecycle", "status") ?? "unknown",
        run.Int("total_tests"),
        run.Int("counts", "queued"),
        run.Int("counts", "running"),
        run.Int("counts", "passed"),
        run.Int("counts", "failed"),
        run.Int("counts", "blocked"),
        run.Int("counts", "error"),
        run.Int("counts", "cancelled"));
}
