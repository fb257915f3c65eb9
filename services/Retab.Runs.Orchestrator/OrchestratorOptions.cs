namespace Retab.Runs.Orchestrator;

/// <summary>Section <c>Orchestrator</c>.</summary>
public sealed class OrchestratorOptions
{
    public const string Section = "Orchestrator";

    /// <summary>How long one test may take from being queued to finishing before the sweeper steps in.</summary>
    public TimeSpan ExecutionDeadline { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many times the sweeper re-sends a test that no worker picked up before giving up (<c>worker_lost</c>).</summary>
    public int MaxAttempts { get; set; } = 3;

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>At most this many worker events per store write (events that arrive during a write go into the next).</summary>
    public int ResultBatchSize { get; set; } = 200;

    /// <summary>
    /// Tests of one organization sent to workers and not finished yet, across all workers (0: no limit). The work queue
    /// is first in, first out: without this, a one-test run of one organization waits behind every test of another's
    /// 100,000-test run.
    /// </summary>
    public int MaxTestsInFlightPerOrganization { get; set; } = 64;

    /// <summary>
    /// Largest image sent to a worker over the bus (answers <c>image_too_large</c> beyond): a message is held whole in
    /// memory by the broker and both ends, and vision models take far smaller images anyway.
    /// </summary>
    public long MaxDocumentImageBytes { get; set; } = 20 * 1024 * 1024;
}
