using System.Text.Json.Serialization;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Gateway.Responses;

/// <summary><c>{"status": …}</c>, plus <c>message</c>/<c>details</c> for error and <c>reason</c> for cancelled.</summary>
public sealed record LifecycleResponse(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ErrorDetailsResponse? Details = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null)
{
    public static LifecycleResponse Of(RunStatus status) => new(status.ToString().ToLowerInvariant());

    public static LifecycleResponse Of(SlotStatus status) => new(status.ToString().ToLowerInvariant());
}

public sealed record ErrorDetailsResponse(
    string Message,
    string ErrorCode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BlockId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Context = null);

public sealed record TimingResponse(DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, long? DurationMs);
