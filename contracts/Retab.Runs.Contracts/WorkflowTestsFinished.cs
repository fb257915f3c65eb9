namespace Retab.Runs.Contracts;

/// <summary>
/// Several finished tests in one message: what a busy worker reports, so that a test costs one message in (its
/// execution) and a fraction of one out. Each entry means exactly what a <see cref="WorkflowTestFinished"/> means;
/// the orchestrator accepts both, so third-party and older workers keep sending one message per test.
/// </summary>
public sealed record WorkflowTestsFinished
{
    public required IReadOnlyList<WorkflowTestFinished> Results { get; init; }
}
