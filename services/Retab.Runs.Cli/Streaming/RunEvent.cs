using System.Text.Json.Nodes;

namespace Retab.Runs.Cli.Streaming;

/// <summary>What the run's event stream says, decoded (sse-contract: progress, result, then one final event).</summary>
public abstract record RunEvent
{
    /// <summary>The run's state and counts; <c>data</c> of a <c>progress</c> event.</summary>
    public sealed record Progress(JsonObject Data) : RunEvent;

    /// <summary>One test that ended: the result resource.</summary>
    public sealed record Result(JsonObject Data) : RunEvent;

    /// <summary>The run ended (completed, cancelled or error): the run resource.</summary>
    public sealed record Final(JsonObject Run) : RunEvent;

    public static readonly IReadOnlySet<string> FinalEvents = new HashSet<string> { "completed", "cancelled", "error" };

    /// <summary>Null for events to ignore (heartbeats, anything newer than this client).</summary>
    public static RunEvent? From(ServerSentEvent sse)
    {
        if (sse.Event is not ("progress" or "result") && !FinalEvents.Contains(sse.Event))
            return null;
        if (JsonNode.Parse(sse.Data) is not JsonObject data)
            return null;
        return sse.Event switch
        {
            "progress" => new Progress(data),
            "result" => new Result(data),
            _ => new Final(data),
        };
    }
}
