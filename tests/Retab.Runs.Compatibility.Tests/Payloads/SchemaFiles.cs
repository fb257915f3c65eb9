namespace Retab.Runs.Compatibility.Tests.Payloads;

/// <summary>The schema files of Schemas/, by the Retab model they were written from.</summary>
public static class SchemaFiles
{
    public const string WorkflowTestRun = "workflow-test-run.schema.json";
    public const string WorkflowTestRunList = "workflow-test-run-list.schema.json";
    public const string WorkflowTest = "workflow-test.schema.json";
    public const string WorkflowTestList = "workflow-test-list.schema.json";
    public const string WorkflowTestResult = "workflow-test-result.schema.json";
    public const string WorkflowTestResultList = "workflow-test-result-list.schema.json";
    public const string File = "file.schema.json";
    public const string FileList = "file-list.schema.json";
    public const string FileLink = "file-link.schema.json";
    public const string CreateUploadResponse = "create-upload-response.schema.json";
    public const string UploadFileResponse = "upload-file-response.schema.json";
    public const string ApiError = "api-error.schema.json";
    public const string HttpValidationError = "http-validation-error.schema.json";
}
