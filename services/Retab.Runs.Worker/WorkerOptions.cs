namespace Retab.Runs.Worker;

/// <summary>Section <c>Worker</c>.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Shown on results and in logs; defaults to host name + process id.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}".ToLowerInvariant();

    /// <summary>Executions this worker holds from the shared queue at once.</summary>
    public int PrefetchCount { get; set; } = 32;

    /// <summary>How long one test may run once picked up (block plus assertion, model calls included) before it ends in <c>error</c>.</summary>
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Executions this worker has in flight at once. Far more than its cores: JavaScript is already limited to the
    /// sandbox threads (one per core), and the rest of a test is waiting, on model calls and on the broker confirming
    /// the Started and Finished it publishes, which only overlap when many tests are in flight (the measurements are in
    /// the benchmarks README). A test waiting for a sandbox thread is inside <see cref="ExecutionTimeout"/>: on two cores
    /// 32 in flight wait at most 15 × the 5 s function limit, well within the default two minutes.
    /// </summary>
    public int ConcurrencyLimit { get; set; } = 32;

    /// <summary>
    /// Finished tests reported in one <c>WorkflowTestsFinished</c> at most (see <see cref="FinishedReports"/>). Batches
    /// form only while a publish is in progress, so a lone result is never held back.
    /// </summary>
    public int ResultBatchSize { get; set; } = 100;

    /// <summary>
    /// A test that finishes within this time of being picked up sends no <c>WorkflowTestStarted</c>: its
    /// <c>WorkflowTestFinished</c> carries the start time and the worker, and nobody would have seen it running. A slower
    /// test reports its start once this time has passed, so it shows <c>running</c> while it runs. Zero sends every start.
    /// </summary>
    public TimeSpan StartedGrace { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Memory for documents this worker read recently (files are immutable, so they are cached until evicted).</summary>
    public long DocumentCacheBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>How long a worker waits for the orchestrator to send a document.</summary>
    public TimeSpan DocumentRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
