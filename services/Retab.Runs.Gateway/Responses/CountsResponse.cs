using Retab.Runs.Core.Runs;

namespace Retab.Runs.Gateway.Responses;

/// <summary>
/// Both count shapes clients know: the flat seed fields (<c>queued</c> = pending + queued, <c>passed</c>…) and the
/// normative <c>lifecycle_counts</c> / <c>outcome</c>. All are projections of one <see cref="RunCounts"/>, so they always agree.
/// </summary>
public sealed record CountsResponse(
    int Queued, int Running, int Passed, int Failed, int Blocked, int Error, int Cancelled,
    LifecycleCountsResponse LifecycleCounts,
    OutcomeCountsResponse Outcome)
{
    public static CountsResponse From(RunCounts c) => new(
        c.Pending + c.Queued, c.Running, c.Passed, c.Failed, c.Blocked, c.Error, c.Cancelled,
        new LifecycleCountsResponse(c.Pending, c.Queued, c.Running, c.Completed, c.Error, c.Cancelled),
        new OutcomeCountsResponse(c.Passed, c.Failed, c.Blocked));
}

public sealed record LifecycleCountsResponse(int Pending, int Queued, int Running, int Completed, int Error, int Cancelled);

public sealed record OutcomeCountsResponse(int Passed, int Failed, int Blocked);
