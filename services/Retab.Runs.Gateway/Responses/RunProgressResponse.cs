using Retab.Runs.Core.Runs;

namespace Retab.Runs.Gateway.Responses;

/// <summary>
/// The <c>progress</c> event of a run's live stream: what moves while it runs (lifecycle, counts, timing), in the
/// shapes of the run resource, without what is costly to compute and does not change (freshness).
/// </summary>
public sealed record RunProgressResponse(
    string RunId,
    string WorkflowId,
    LifecycleResponse Lifecycle,
    int TotalTests,
    CountsResponse Counts,
    TimingResponse Timing)
{
    public static RunProgressResponse From(TestRun run) => new(
        run.Id,
        run.WorkflowId,
        RunResponse.LifecycleOf(run),
        run.TotalTests,
        CountsResponse.From(run.Counts),
        new TimingResponse(run.CreatedAt, run.StartedAt, run.CompletedAt, run.DurationMs));
}
