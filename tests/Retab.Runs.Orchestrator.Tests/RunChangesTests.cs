using Retab.Runs.Contracts;
using Retab.Runs.Core.Common;

namespace Retab.Runs.Orchestrator.Tests;

/// <summary>A completed run is compared with its previous run once, at its end: TestRunCompleted carries its regressions and fixes.</summary>
public sealed class RunChangesTests : SagaTests
{
    [Fact]
    public async Task TestRunCompleted_carries_regressions_and_fixes_against_the_previous_run_and_none_without_one()
    {
        var workflow = await Saga.SaveWorkflowAsync(3);
        var first = await CompleteRunAsync(workflow.Id, 1, "passed", "passed", "failed");
        var second = await CompleteRunAsync(workflow.Id, 2, "failed", "passed", "passed");

        Assert.Null(first.Regressions);
        Assert.Null(first.Fixes);
        Assert.Equal(1, second.Regressions);
        Assert.Equal(1, second.Fixes);
        var stored = await Saga.Store.GetRunAsync(SagaHarness.Org, second.RunId);
        Assert.Equal((first.RunId, 1, 1), (stored!.BaselineRunId, stored.Regressions, stored.Fixes));
    }

    /// <summary>A run from the bus, created <paramref name="second"/> seconds in (ids sort by creation), its tests finishing with these verdicts.</summary>
    private async Task<TestRunCompleted> CompleteRunAsync(string workflowId, int second, params string[] verdicts)
    {
        var command = SagaHarness.FromBus(workflowId) with { RunId = ResourceIds.New(ResourceIds.Run, new DateTimeOffset(2025, 3, 1, 12, 0, second, TimeSpan.Zero)) };
        await Saga.DeliverAsync(command);
        var sent = (await Saga.ExecutionsAsync(command.RunId, verdicts.Length)).OrderBy(e => e.TestId, StringComparer.Ordinal).ToList();
        await Saga.DeliverAsync(sent.Zip(verdicts, (execution, verdict) => (object)Saga.Finished(execution, verdict)).ToArray());
        TestRunCompleted? completed = null;
        await SagaHarness.Until(() => (completed = Saga.Published.Of<TestRunCompleted>().Select(p => p.Message).FirstOrDefault(m => m.RunId == command.RunId)) is not null,
            "the run to complete");
        return completed!;
    }
}
