using System.Diagnostics;
using Retab.Runs.Core.Observability;

namespace Retab.Runs.Messaging.Observability;

/// <summary>
/// Ids on the span in progress (a MassTransit consume span, an HTTP request span), so a trace can be found by run or
/// test. Does nothing when no tracer records the span: tracing is off unless exported.
/// </summary>
public static class SpanTags
{
    public static void Run(string runId, string organizationId, string? workflowId = null)
    {
        if (Activity.Current is not { IsAllDataRequested: true } span)
            return;
        span.SetTag(RunsTags.RunId, runId);
        span.SetTag(RunsTags.OrganizationId, organizationId);
        if (workflowId is not null)
            span.SetTag(RunsTags.WorkflowId, workflowId);
    }

    public static void Test(string runId, string testId, string organizationId)
    {
        if (Activity.Current is not { IsAllDataRequested: true } span)
            return;
        span.SetTag(RunsTags.RunId, runId);
        span.SetTag(RunsTags.TestId, testId);
        span.SetTag(RunsTags.OrganizationId, organizationId);
    }

    /// <summary>A test's verdict (passed, failed, blocked) or, for a test that could not run, <c>error</c>.</summary>
    public static void Verdict(string? verdict)
    {
        if (verdict is not null && Activity.Current is { IsAllDataRequested: true } span)
            span.SetTag(RunsTags.Verdict, verdict);
    }
}
