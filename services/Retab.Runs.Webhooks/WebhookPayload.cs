using System.Text.Json;
using Retab.Runs.Contracts;
using Retab.Runs.Core.Common;

namespace Retab.Runs.Webhooks;

/// <summary>
/// What a delivery says: thin on purpose (the run's id, status, counts and regressions; the receiver fetches the rest
/// with its API key), so a leaked delivery reveals little and the body stays small. <c>counts</c> has the run
/// resource's shape.
/// </summary>
public sealed record WebhookPayload(
    string Type, string RunId, string WorkflowId, string Status, WebhookCounts Counts, int? Regressions, DateTimeOffset CreatedAt)
{
    public static WebhookPayload Of(string eventType, TestRunCompleted run, DateTimeOffset at) =>
        new(eventType, run.RunId, run.WorkflowId, run.Status, WebhookCounts.From(run.Counts), run.Regressions, at);

    public string ToJson() => JsonSerializer.Serialize(this, PublicJson.Options);
}

/// <summary>The run resource's counts (flat seed fields, <c>lifecycle_counts</c>, <c>outcome</c>), from the event's snapshot.</summary>
public sealed record WebhookCounts(
    int Queued, int Running, int Passed, int Failed, int Blocked, int Error, int Cancelled,
    WebhookLifecycleCounts LifecycleCounts, WebhookOutcomeCounts Outcome)
{
    public static WebhookCounts From(RunCountsSnapshot c) => new(
        c.Pending + c.Queued, c.Running, c.Passed, c.Failed, c.Blocked, c.Error, c.Cancelled,
        new WebhookLifecycleCounts(c.Pending, c.Queued, c.Running, c.Completed, c.Error, c.Cancelled),
        new WebhookOutcomeCounts(c.Passed, c.Failed, c.Blocked));
}

public sealed record WebhookLifecycleCounts(int Pending, int Queued, int Running, int Completed, int Error, int Cancelled);

public sealed record WebhookOutcomeCounts(int Passed, int Failed, int Blocked);
