using static Retab.Runs.Compatibility.Tests.Payloads.SchemaFiles;

namespace Retab.Runs.Compatibility.Tests.Payloads;

/// <summary>
/// Every kind of payload the scenarios read from the live host, and the schema (Retab model) each must satisfy.
/// A kind is a response in one distinct state: a run still pending reads differently from a cancelled one.
/// </summary>
public static class PayloadKinds
{
    public static readonly IReadOnlyDictionary<string, string> SchemaOf = new Dictionary<string, string>
    {
        // Runs, in every lifecycle state and scope.
        ["run-pending"] = WorkflowTestRun,
        ["run-queued"] = WorkflowTestRun,
        ["run-running"] = WorkflowTestRun,
        ["run-completed"] = WorkflowTestRun,
        ["run-completed-with-errors"] = WorkflowTestRun,
        ["run-error"] = WorkflowTestRun,
        ["run-cancelled"] = WorkflowTestRun,
        ["run-scope-block"] = WorkflowTestRun,
        ["run-scope-single"] = WorkflowTestRun,
        ["run-list"] = WorkflowTestRunList,
        ["run-list-filtered"] = WorkflowTestRunList,

        // Saved tests, before and after they ran.
        ["test-created"] = WorkflowTest,
        ["test-created-file-input"] = WorkflowTest,
        ["test-never-ran"] = WorkflowTest,
        ["test-patched"] = WorkflowTest,
        ["test-with-run-summaries"] = WorkflowTest,
        ["test-latest-cancelled"] = WorkflowTest,
        ["test-latest-error"] = WorkflowTest,
        ["test-block-missing"] = WorkflowTest,
        ["test-list"] = WorkflowTestList,

        // Results, in every lifecycle state and verdict.
        ["result-queued"] = WorkflowTestResult,
        ["result-running"] = WorkflowTestResult,
        ["result-passed"] = WorkflowTestResult,
        ["result-passed-with-score"] = WorkflowTestResult,
        ["result-failed"] = WorkflowTestResult,
        ["result-blocked"] = WorkflowTestResult,
        ["result-error-worker-lost"] = WorkflowTestResult,
        ["result-error-model-unavailable"] = WorkflowTestResult,
        ["result-cancelled"] = WorkflowTestResult,
        ["result-extract-file-input"] = WorkflowTestResult,
        ["result-classifier-routed"] = WorkflowTestResult,
        ["result-split-routed"] = WorkflowTestResult,
        ["result-by-test"] = WorkflowTestResult,
        ["result-list"] = WorkflowTestResultList,
        ["result-list-filtered"] = WorkflowTestResultList,

        // Files.
        ["upload-session"] = CreateUploadResponse,
        ["upload-completed"] = UploadFileResponse,
        ["upload-multipart"] = UploadFileResponse,
        ["file"] = SchemaFiles.File,
        ["file-list"] = FileList,
        ["file-link"] = FileLink,

        // Errors.
        ["error-401"] = ApiError,
        ["error-404"] = ApiError,
        ["error-409"] = ApiError,
        ["error-429"] = ApiError,
        ["error-422-scope"] = ApiError,
        ["error-422-validation"] = HttpValidationError,
    };

    /// <summary>
    /// Fewer kinds than this means a scenario lost coverage; raise it with every kind added, never lower it quietly.
    /// </summary>
    public const int Minimum = 47;
}
