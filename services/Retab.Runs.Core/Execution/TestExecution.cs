using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Execution;

/// <summary>
/// Runs one test: execute the block, then evaluate the assertion on its outputs. A failure of the user's
/// block is a result (completed, verdict blocked, <c>block_execution_failed</c>), never an exception.
/// </summary>
public sealed class TestExecution(IEnumerable<IBlockExecutor> executors, AssertionEngine assertions)
{
    public const string BlockExecutionFailed = "block_execution_failed";
    public const string BlockTypeUnavailable = "block_type_unavailable";

    private readonly Dictionary<string, IBlockExecutor> _executors = executors.ToDictionary(e => e.BlockType, StringComparer.Ordinal);

    public async Task<TestExecutionOutcome> RunAsync(string blockType, JsonObject config, JsonObject handleInputs, Assertion assertion, CancellationToken cancellationToken)
    {
        if (!_executors.TryGetValue(blockType, out var executor))
            return BlockedBeforeAssertion(assertion, BlockTypeUnavailable,
                $"No executor for block type '{blockType}' is configured on this worker (model-backed blocks need a model endpoint).");

        var execution = await executor.ExecuteAsync(config, handleInputs, cancellationToken);
        var outputs = new JsonObject();
        foreach (var (handle, data) in execution.Outputs)
            outputs[handle] = new JsonObject { ["type"] = "json", ["data"] = data?.DeepClone() };

        if (execution.Failure is not null)
            return BlockedBeforeAssertion(assertion, BlockExecutionFailed, execution.Failure) with { HandleOutputs = outputs };

        var result = await assertions.EvaluateAsync(assertion, execution.Outputs, cancellationToken);
        return new TestExecutionOutcome(VerdictOf(result.Outcome), outputs, result, execution.Warnings ?? []);
    }

    public static Verdict VerdictOf(AssertionOutcome outcome) => outcome switch
    {
        AssertionOutcome.Passed => Verdict.Passed,
        AssertionOutcome.Failed => Verdict.Failed,
        _ => Verdict.Blocked,
    };

    private static TestExecutionOutcome BlockedBeforeAssertion(Assertion assertion, string code, string message) => new(
        Verdict.Blocked,
        [],
        new AssertionResult
        {
            AssertionId = assertion.Id,
            ConditionKind = assertion.Kind,
            Outcome = AssertionOutcome.Blocked,
            AssertionLabel = assertion.Label,
            Failure = new AssertionFailure(code, message),
        },
        []);
}
