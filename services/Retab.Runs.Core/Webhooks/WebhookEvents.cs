namespace Retab.Runs.Core.Webhooks;

/// <summary>The event types a webhook subscribes to; the <c>type</c> of every delivery's payload.</summary>
public static class WebhookEvents
{
    /// <summary>A run reached a terminal state (completed, cancelled or error): its status is in the payload.</summary>
    public const string TestRunCompleted = "test_run.completed";

    /// <summary>A completed run has regressions against the previous completed run of its workflow and scope.</summary>
    public const string TestRunRegressed = "test_run.regressed";

    public static readonly IReadOnlyList<string> All = [TestRunCompleted, TestRunRegressed];
}
