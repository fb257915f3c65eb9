using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Core.Results;

/// <summary>Builds the result slots of a planned run: one per test, each with the snapshot its worker needs.</summary>
public static class ResultSlots
{
    /// <summary>How many slots are stored, or sent to workers, at a time.</summary>
    public const int ChunkSize = 1_000;

    /// <summary>
    /// Lazily, and the same slots on every enumeration (ids derive from run and test, so a redelivered plan makes
    /// the very same ones): a 100,000-test run is stored a chunk at a time instead of holding every snapshot in
    /// memory at once. The orchestrator sends them to workers as stored, not from here.
    /// </summary>
    public static IEnumerable<TestResult> Create(TestRun run, RunPlan plan, DateTimeOffset at, TimeSpan executionDeadline) =>
        Create(run, plan.Workflow, plan.Tests, at, executionDeadline);

    /// <summary>The slots of <paramref name="tests"/> (one chunk of a scope read in test-id order), lazily, as above.</summary>
    public static IEnumerable<TestResult> Create(TestRun run, Workflow workflow, IEnumerable<WorkflowTest> tests, DateTimeOffset at, TimeSpan executionDeadline)
    {
        var draftFingerprint = workflow.DraftFingerprint;
        return tests.Select(test => Create(run, workflow, draftFingerprint, test, at, executionDeadline));
    }

    /// <summary>
    /// What every result id of a run starts with, so a store can read a run's results as one range of ids. Another
    /// run's results can share it only if that run's id extends this one's (ids from bus publishers may vary in
    /// length), so a range read still checks the run.
    /// </summary>
    public static string IdPrefix(string runId) => $"{ResourceIds.Result}_{runId[(ResourceIds.Run.Length + 1)..]}";

    private static TestResult Create(TestRun run, Workflow workflow, string draftFingerprint, WorkflowTest test, DateTimeOffset at, TimeSpan deadline)
    {
        var block = workflow.FindBlock(test.TargetBlockId);
        var slot = new TestResult
        {
            // Derived from (run, test) so a redelivered CreateTestRun re-creates the very same slots.
            Id = IdPrefix(run.Id) + test.Id[(ResourceIds.Test.Length + 1)..],
            RunId = run.Id,
            OrganizationId = run.OrganizationId,
            WorkflowId = workflow.Id,
            TestId = test.Id,
            BlockId = test.TargetBlockId,
            BlockType = block?.Type ?? "unknown",
            BlockName = block?.Name,
            BlockConfig = block?.Config.DeepClone().AsObject() ?? [],
            HandleInputs = test.HandleInputs.DeepClone().AsObject(),
            Assertion = test.Assertion,
            Fingerprints = new ResultFingerprints(
                test.HandleInputsFingerprint,
                draftFingerprint,
                block?.ConfigFingerprint ?? "",
                CanonicalJson.Fingerprint(test.Assertion.Condition)),
            Status = SlotStatus.Queued,
            CreatedAt = at,
            Deadline = at + deadline,
        };
        return block is null ? BlockedBecauseBlockIsGone(slot, at) : slot;
    }

    /// <summary>A test whose block was removed from the draft cannot execute: it completes at once as blocked.</summary>
    private static TestResult BlockedBecauseBlockIsGone(TestResult slot, DateTimeOffset at) => slot with
    {
        Status = SlotStatus.Completed,
        Verdict = Verdict.Blocked,
        StartedAt = at,
        CompletedAt = at,
        AssertionResult = new AssertionResult
        {
            AssertionId = slot.Assertion.Id,
            ConditionKind = slot.Assertion.Kind,
            Outcome = AssertionOutcome.Blocked,
            AssertionLabel = slot.Assertion.Label,
            Failure = new AssertionFailure(RunErrorCodes.BlockNotFound, $"Block '{slot.BlockId}' no longer exists in the workflow draft."),
        },
    };
}
