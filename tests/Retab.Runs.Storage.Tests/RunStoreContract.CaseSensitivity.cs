using Retab.Runs.Core.Common;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.Tests;

/// <summary>
/// Organization ids and idempotency keys are opaque, caller-chosen strings: two that differ only in letter case are
/// different (as under MongoDB's default binary comparison). Resource ids are always lowercase, so how a provider
/// compares their case does not matter and is not part of the contract.
/// </summary>
public abstract partial class RunStoreContract
{
    private const string OrgACaseVariant = "ORG_ALPHA";

    [Theory]
    [InlineData("workflows.list")]
    [InlineData("tests.list")]
    [InlineData("tests.list_all")]
    [InlineData("runs.list")]
    [InlineData("results.list")]
    [InlineData("results.find_latest")]
    [InlineData("workflows.get")]
    [InlineData("tests.get")]
    [InlineData("runs.get")]
    [InlineData("results.get")]
    public async Task Organizations_whose_ids_differ_only_in_case_do_not_see_each_others_data(string read)
    {
        Assert.NotEqual(OrgA, OrgACaseVariant);
        Assert.Equal(OrgA, OrgACaseVariant.ToLowerInvariant());
        var workflow = NewWorkflow(OrgA);
        await Workflows.InsertAsync(workflow);
        var test = NewTest(workflow);
        await Tests.InsertAsync(test);
        var (run, slots) = await QueueRunAsync(1, OrgA);
        await Runs.ApplySlotEventsAsync([Finished(slots[0])], T0.AddSeconds(1));

        object? seen = read switch
        {
            "workflows.list" => (await Workflows.ListAsync(OrgACaseVariant, new PageRequest())).Data.FirstOrDefault(),
            "tests.list" => (await Tests.ListAsync(OrgACaseVariant, workflow.Id, null, new PageRequest())).Data.FirstOrDefault(),
            "tests.list_all" => (await Tests.ListAllAsync(OrgACaseVariant, workflow.Id)).FirstOrDefault(),
            "runs.list" => (await Runs.ListRunsAsync(OrgACaseVariant, new RunQuery(), new PageRequest())).Data.FirstOrDefault(),
            "results.list" => (await Runs.ListResultsAsync(OrgACaseVariant, new ResultQuery(run.Id), new PageRequest())).Data.FirstOrDefault(),
            "results.find_latest" => await Runs.FindLatestResultAsync(OrgACaseVariant, slots[0].TestId, null),
            "workflows.get" => await Workflows.GetAsync(OrgACaseVariant, workflow.Id),
            "tests.get" => await Tests.GetAsync(OrgACaseVariant, test.Id),
            "runs.get" => await Runs.GetRunAsync(OrgACaseVariant, run.Id),
            "results.get" => await Runs.GetResultAsync(OrgACaseVariant, slots[0].Id),
            _ => throw new ArgumentOutOfRangeException(nameof(read)),
        };

        Assert.Null(seen);
    }

    [Fact]
    public async Task Idempotency_keys_that_differ_only_in_case_are_different_keys()
    {
        var lower = new IdempotencyRecord(OrgA, "order-7f3a", "sha256:1", 201, null, "lower", T0);
        var upper = new IdempotencyRecord(OrgA, "ORDER-7F3A", "sha256:2", 201, null, "upper", T0);

        Assert.True(await Idempotency.TryInsertAsync(lower));
        Assert.True(await Idempotency.TryInsertAsync(upper));

        Assert.Equal("lower", (await Idempotency.GetAsync(OrgA, "order-7f3a"))!.Body);
        Assert.Equal("upper", (await Idempotency.GetAsync(OrgA, "ORDER-7F3A"))!.Body);
    }
}
