using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Limits;
using Retab.Runs.Core.Observability;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Execution;

/// <summary>
/// Runs one test: execute the block, then evaluate the assertion on its outputs. A failure of the user's
/// block is a result (completed, verdict blocked, <c>block_execution_failed</c>), never an exception. Outputs of
/// any block type larger or deeper than <paramref name="limits"/> allow end the test the same way
/// (<c>output_too_large</c>, <c>output_too_deep</c>), so none leaves the worker.
/// </summary>
public sealed class TestExecution(
    IEnumerable<IBlockExecutor> executors, AssertionEngine assertions, IEnumerable<UnavailableBlockType>? unavailable = null, ServiceLimits? limits = null)
{
    public const string BlockExecutionFailed = "block_execution_failed";
    public const string BlockTypeUnavailable = "block_type_unavailable";

    private readonly Dictionary<string, IBlockExecutor> _executors = executors.ToDictionary(e => e.BlockType, StringComparer.Ordinal);

    private readonly ServiceLimits _limits = limits ?? new ServiceLimits();

    private readonly Dictionary<string, string> _unavailable = (unavailable ?? []).ToDictionary(u => u.BlockType, u => u.Reason, StringComparer.Ordinal);

    public async Task<TestExecutionOutcome> RunAsync(string blockType, BlockRequest request, Assertion assertion, CancellationToken cancellationToken)
    {
        if (!_executors.TryGetValue(blockType, out var executor))
            return BlockedBeforeAssertion(assertion, BlockTypeUnavailable, _unavailable.TryGetValue(blockType, out var reason)
                ? $"Block type '{blockType}' is not available on this worker: {reason}"
                : $"No executor for block type '{blockType}' is configured on this worker (model-backed blocks need a model endpoint).");

        BlockExecutionResult execution;
        using (var blockSpan = ExecutionSpans.StartBlock(blockType))
        {
            execution = await executor.ExecuteAsync(request, cancellationToken);
            if (execution.Failure is null && OutputLimits.Check(execution.Outputs, _limits) is { } overLimit)
                execution = overLimit with { Warnings = execution.Warnings };
            if (execution.Failure is not null)
                ExecutionSpans.Failed(blockSpan, execution.FailureCode ?? BlockExecutionFailed);
        }
        var outputs = PublicOutputs(execution);

        if (execution.Failure is not null)
        {
            var blocked = BlockedBeforeAssertion(assertion, execution.FailureCode ?? BlockExecutionFailed, execution.Failure, execution.FailureDetails);
            return blocked with { HandleOutputs = outputs, Warnings = execution.Warnings ?? [] };
        }

        AssertionResult result;
        using (var assertionSpan = ExecutionSpans.StartAssertion(assertion.Kind))
        {
            result = await assertions.EvaluateAsync(assertion, execution.Outputs, cancellationToken);
            assertionSpan?.SetTag(RunsTags.Verdict, result.Outcome.ToString().ToLowerInvariant());
        }
        return new TestExecutionOutcome(VerdictOf(result.Outcome), outputs, result, execution.Warnings ?? [])
        {
            RoutingDecisions = execution.RoutingDecisions?.DeepClone().AsArray(),
            Consensus = execution.Consensus?.DeepClone().AsObject(),
        };
    }

    /// <summary><c>{handle: {type: "json", data}}</c>, or <c>{type: "file", document}</c> for a handle that carries a document.</summary>
    private static JsonObject PublicOutputs(BlockExecutionResult execution)
    {
        var outputs = new JsonObject();
        foreach (var (handle, data) in execution.Outputs)
        {
            outputs[handle] = execution.FileHandles.Contains(handle)
                ? new JsonObject { ["type"] = "file", ["document"] = data?.DeepClone() }
                : new JsonObject { ["type"] = "json", ["data"] = data?.DeepClone() };
        }
        return outputs;
    }

    public static Verdict VerdictOf(AssertionOutcome outcome) => outcome switch
    {
        AssertionOutcome.Passed => Verdict.Passed,
        AssertionOutcome.Failed => Verdict.Failed,
        _ => Verdict.Blocked,
    };

    private static TestExecutionOutcome BlockedBeforeAssertion(Assertion assertion, string code, string message, JsonObject? details = null) => new(
        Verdict.Blocked,
        [],
        new AssertionResult
        {
            AssertionId = assertion.Id,
            ConditionKind = assertion.Kind,
            Outcome = AssertionOutcome.Blocked,
            AssertionLabel = assertion.Label,
            Failure = new AssertionFailure(code, message, details?.DeepClone().AsObject()),
        },
        []);
}
