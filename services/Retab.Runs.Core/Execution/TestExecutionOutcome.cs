using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Execution;

/// <summary>A test that ran to the end: the verdict, the outputs in their public shape and the assertion result.</summary>
public sealed record TestExecutionOutcome(Verdict Verdict, JsonObject HandleOutputs, AssertionResult AssertionResult, IReadOnlyList<string> Warnings)
{
    /// <summary>The output handles the block routed to (classifier, split).</summary>
    public JsonArray? RoutingDecisions { get; init; }

    /// <summary><c>{likelihoods}</c> when the block voted over several model answers.</summary>
    public JsonObject? Consensus { get; init; }
}
