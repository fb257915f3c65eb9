using Microsoft.Extensions.Logging;

namespace Retab.Runs.Messaging.Observability;

/// <summary>
/// The Information lines of a run's life. Ids, counts, codes and durations only: never a test's inputs or outputs,
/// a function's code or an error's free text, which may carry what users put in their tests.
/// </summary>
internal static partial class RunsLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "Run {RunId} created: organization {OrganizationId}, workflow {WorkflowId}, {TotalTests} tests, trigger {Trigger}")]
    public static partial void Created(ILogger logger, string runId, string organizationId, string workflowId, int totalTests, string trigger);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Run {RunId} queued: {TotalTests} tests planned")]
    public static partial void Queued(ILogger logger, string runId, int totalTests);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Run {RunId} started: {TotalTests} tests")]
    public static partial void Started(ILogger logger, string runId, int totalTests);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information,
        Message = "Run {RunId} ended {Status}: {TotalTests} tests, {Passed} passed, {Failed} failed, {Blocked} blocked, {Errors} in error, {Cancelled} cancelled, in {DurationMs} ms")]
    public static partial void Ended(ILogger logger, string runId, string status, int totalTests, int passed, int failed, int blocked, int errors, int cancelled, long durationMs);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information,
        Message = "Run {RunId} ended error ({ErrorCode}): {TotalTests} tests, {Completed} completed, {Errors} in error, {Cancelled} cancelled, in {DurationMs} ms")]
    public static partial void EndedInError(ILogger logger, string runId, string? errorCode, int totalTests, int completed, int errors, int cancelled, long durationMs);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Test {TestId} of run {RunId} ended in error {ErrorCode} (result {ResultId})")]
    public static partial void TestEndedInError(ILogger logger, string runId, string testId, string resultId, string? errorCode);
}
