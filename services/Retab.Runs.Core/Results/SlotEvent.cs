using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Results;

/// <summary>Something a worker (or the sweeper) reports about one slot. Applied by <see cref="SlotTransitions"/>.</summary>
public abstract record SlotEvent(string RunId, string ResultId, DateTimeOffset At);

public sealed record SlotStarted(string RunId, string ResultId, DateTimeOffset At, string WorkerId) : SlotEvent(RunId, ResultId, At);

public sealed record SlotFinished(
    string RunId,
    string ResultId,
    DateTimeOffset At,
    SlotStatus Outcome,
    Verdict? Verdict,
    DateTimeOffset? StartedAt,
    JsonObject? HandleOutputs,
    AssertionResult? AssertionResult,
    IReadOnlyList<string> Warnings,
    SlotError? Error,
    string? WorkerId,
    string? EngineVersion) : SlotEvent(RunId, ResultId, At)
{
    public JsonArray? RoutingDecisions { get; init; }
    public JsonObject? Consensus { get; init; }

    /// <summary>The infrastructure could not run the test (worker lost, poison message): the slot ends in <c>error</c>.</summary>
    public static SlotFinished Failed(string runId, string resultId, DateTimeOffset at, string code, string message) =>
        new(runId, resultId, at, SlotStatus.Error, null, null, null, null, [], new SlotError(code, message), null, null);

    /// <summary>
    /// This finish as an <c>error</c> instead, without what the worker reported (outputs, assertion result, warnings):
    /// for a result that cannot be kept as reported. Its times and worker stay, so the slot reads and counts like any
    /// other error of the same test.
    /// </summary>
    public SlotFinished FailedInstead(SlotError error) => this with
    {
        Outcome = SlotStatus.Error,
        Verdict = null,
        HandleOutputs = null,
        AssertionResult = null,
        Warnings = [],
        Error = error,
        RoutingDecisions = null,
        Consensus = null,
    };
}
