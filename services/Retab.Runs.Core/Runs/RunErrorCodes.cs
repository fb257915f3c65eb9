namespace Retab.Runs.Core.Runs;

/// <summary>
/// The stable values of <c>error.code</c> on runs and results, and of the API's answers about them: one catalogue
/// for the gateway, the orchestrator, the sweeper and the workers (assertion failures have <c>AssertionFailureCodes</c>).
/// </summary>
public static class RunErrorCodes
{
    // A run that could not be planned ends in error with one of these (the gateway answers them as 404/422).
    public const string WorkflowNotFound = "workflow_not_found";
    public const string TestNotFound = "test_not_found";
    public const string BlockNotFound = "block_not_found";
    public const string NoTestsInScope = "no_tests_in_scope";
    public const string TooManyTests = "too_many_tests";

    /// <summary>A rerun of a run that has not ended yet (pending, queued or running): its results are not final.</summary>
    public const string RunInProgress = "run_in_progress";

    // A result ends in error with one of these when the infrastructure could not run its test (no verdict).
    /// <summary>The sweeper gave up on a test no worker finished within its attempts; a worker's late result still replaces it while the run is active.</summary>
    public const string WorkerLost = "worker_lost";

    /// <summary>A worker could not process the execution even after retries (poison message, infrastructure failure).</summary>
    public const string ExecutionFailed = "execution_failed";

    /// <summary>The test did not finish within <c>Worker:ExecutionTimeout</c> of being picked up.</summary>
    public const string DeadlineExceeded = "deadline_exceeded";

    /// <summary>The model server failed every retry.</summary>
    public const string ModelUnavailable = "model_unavailable";

    /// <summary>What the worker reported is too large to store.</summary>
    public const string ResultTooLarge = "result_too_large";

    // The API's answers about runs.
    public const string RunNotFound = "run_not_found";
    public const string RunNotCancellable = "run_not_cancellable";
    public const string ResultNotFound = "result_not_found";
    public const string TooManyRunsInProgress = "too_many_runs_in_progress";

    /// <summary>A comparison named a baseline run that does not exist in the organization.</summary>
    public const string BaselineNotFound = "baseline_not_found";

    /// <summary>The broker did not take a command in time (<c>Bus:PublishTimeout</c>); retrying is safe.</summary>
    public const string BrokerUnavailable = "broker_unavailable";
}
