using System.Diagnostics;

namespace Retab.Runs.Core.Observability;

/// <summary>
/// The child spans of one test's execution: its block (<c>block {type}</c>) and its assertion, under whatever span is
/// current (the worker's consume span). Null, and free, when no tracer listens to <see cref="RunsDiagnostics.Name"/>.
/// </summary>
public static class ExecutionSpans
{
    public const string AssertionSpanName = "assertion";

    public static Activity? StartBlock(string blockType)
    {
        if (!RunsDiagnostics.ActivitySource.HasListeners())
            return null;
        var span = RunsDiagnostics.ActivitySource.StartActivity($"block {blockType}");
        span?.SetTag(RunsTags.BlockType, blockType);
        return span;
    }

    public static Activity? StartAssertion(string conditionKind)
    {
        if (!RunsDiagnostics.ActivitySource.HasListeners())
            return null;
        var span = RunsDiagnostics.ActivitySource.StartActivity(AssertionSpanName);
        span?.SetTag("retab.assertion.kind", conditionKind);
        return span;
    }

    /// <summary>Marks a span whose work failed (a user block's failure is a result, not an exception, so it is set by hand).</summary>
    public static void Failed(Activity? span, string code)
    {
        if (span is null)
            return;
        span.SetStatus(ActivityStatusCode.Error, code);
        span.SetTag(RunsTags.ErrorCode, code);
    }
}
