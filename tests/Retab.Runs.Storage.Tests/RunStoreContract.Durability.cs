using Retab.Runs.Core.Common;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.Tests;

/// <summary>What was written is still there after the stores are closed and opened again.</summary>
public abstract partial class RunStoreContract
{
    [Fact]
    public async Task Data_survives_closing_and_reopening_the_store()
    {
        var workflow = NewWorkflow(blocks: [FunctionBlock("block_a") with { Config = Tricky() }, FunctionBlock("block_b")]);
        await Workflows.InsertAsync(workflow);
        var test = NewTest(workflow, data: Tricky());
        await Tests.InsertAsync(test);
        var (run, slots) = await QueueRunAsync(3);
        await Runs.ApplySlotEventsAsync([Finished(slots[0], Verdict.Failed), Started(slots[1])], T0.AddSeconds(2));
        var (done, doneSlots) = await QueueRunAsync(1);
        await Runs.ApplySlotEventsAsync([Finished(doneSlots[0])], T0.AddSeconds(2));
        await Runs.CompleteRunAsync(done.Id, T0.AddSeconds(3));
        await Runs.MarkCompletionPublishedAsync(done.Id);
        var record = new IdempotencyRecord(OrgA, "key-1", "sha256:abc", 201, "/v1/x", """{"id":"x"}""", T0);
        Assert.True(await Idempotency.TryInsertAsync(record));
        var runBefore = await RunAsync(run);
        var slotsBefore = await AllSlotsAsync(run);

        await ReopenAsync();

        AssertSameWorkflow(workflow, await Workflows.GetAsync(OrgA, workflow.Id));
        AssertSameTest(test, await Tests.GetAsync(OrgA, test.Id));
        var runAfter = await RunAsync(run);
        Assert.Equal(runBefore.Status, runAfter.Status);
        Assert.Equal(runBefore.Counts, runAfter.Counts);
        Assert.Equal(runBefore.StartedAt, runAfter.StartedAt);
        Assert.Equal(runBefore.LastProgressAt, runAfter.LastProgressAt);
        var slotsAfter = await AllSlotsAsync(run);
        Assert.Equal(slotsBefore.Select(s => (s.Id, s.Status, s.Verdict, s.CompletedAt, s.HandleOutputs?.ToJsonString())),
            slotsAfter.Select(s => (s.Id, s.Status, s.Verdict, s.CompletedAt, s.HandleOutputs?.ToJsonString())));
        var doneAfter = await RunAsync(done);
        Assert.Equal(RunStatus.Completed, doneAfter.Status);
        Assert.True(doneAfter.CompletionPublished);
        Assert.Equal(record, await Idempotency.GetAsync(OrgA, "key-1"));
        Assert.False(await Idempotency.TryInsertAsync(record with { Body = "other" }));

        // And the reopened stores keep working.
        await Runs.ApplySlotEventsAsync([Finished(slots[1]), Finished(slots[2])], T0.AddSeconds(4));
        Assert.NotNull(await Runs.CompleteRunAsync(run.Id, T0.AddSeconds(5)));
        await AssertCountsEqualSlotsAsync(run);
        Assert.Equal(2, (await Runs.ListRunsAsync(OrgA, new RunQuery(), new PageRequest())).Data.Count);
    }
}
