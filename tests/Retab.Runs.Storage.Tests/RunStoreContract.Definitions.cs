using System.Text.Json.Nodes;
using Retab.Runs.Core.Common;
using Retab.Runs.Core.Tests;
using Retab.Runs.Core.Workflows;

namespace Retab.Runs.Storage.Tests;

/// <summary>Workflows and saved tests: CRUD and organization scoping.</summary>
public abstract partial class RunStoreContract
{
    private static void AssertSameWorkflow(Workflow expected, Workflow? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.OrganizationId, actual.OrganizationId);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.DraftNumber, actual.DraftNumber);
        Assert.Equal(expected.VersionId, actual.VersionId);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.Blocks.Select(b => (b.Id, b.Type, b.Name, b.Config.ToJsonString())),
            actual.Blocks.Select(b => (b.Id, b.Type, b.Name, b.Config.ToJsonString())));
        Assert.Equal(expected.DraftFingerprint, actual.DraftFingerprint);
    }

    private static void AssertSameTest(WorkflowTest expected, WorkflowTest? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.OrganizationId, actual.OrganizationId);
        Assert.Equal(expected.WorkflowId, actual.WorkflowId);
        Assert.Equal(expected.TargetBlockId, actual.TargetBlockId);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Source.ToJsonString(), actual.Source.ToJsonString());
        Assert.Equal(expected.HandleInputs.ToJsonString(), actual.HandleInputs.ToJsonString());
        Assert.Equal(expected.Assertion.Id, actual.Assertion.Id);
        Assert.Equal(expected.Assertion.Target, actual.Assertion.Target);
        Assert.Equal(expected.Assertion.Label, actual.Assertion.Label);
        Assert.Equal(expected.Assertion.Condition.ToJsonString(), actual.Assertion.Condition.ToJsonString());
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.HandleInputsFingerprint, actual.HandleInputsFingerprint);
    }

    [Fact]
    public async Task A_workflow_reads_back_as_it_was_inserted()
    {
        var workflow = NewWorkflow();
        await Workflows.InsertAsync(workflow);
        AssertSameWorkflow(workflow, await Workflows.GetAsync(OrgA, workflow.Id));
    }

    [Fact]
    public async Task An_unknown_workflow_reads_as_null()
    {
        Assert.Null(await Workflows.GetAsync(OrgA, ResourceIds.New(ResourceIds.Workflow)));
    }

    [Fact]
    public async Task Replacing_a_workflow_succeeds_only_from_the_expected_draft_number()
    {
        var workflow = NewWorkflow();
        await Workflows.InsertAsync(workflow);
        var next = workflow.WithDraft([FunctionBlock("block_c")], T0.AddMinutes(1));

        Assert.True(await Workflows.ReplaceAsync(next, expectedDraftNumber: 1));
        AssertSameWorkflow(next, await Workflows.GetAsync(OrgA, workflow.Id));
        Assert.Equal("draft_2", (await Workflows.GetAsync(OrgA, workflow.Id))!.VersionId);

        // A second writer that also started from draft 1 loses.
        var stale = workflow.WithDraft([FunctionBlock("block_z")], T0.AddMinutes(2));
        Assert.False(await Workflows.ReplaceAsync(stale, expectedDraftNumber: 1));
        AssertSameWorkflow(next, await Workflows.GetAsync(OrgA, workflow.Id));
    }

    [Fact]
    public async Task Replacing_an_unknown_workflow_fails()
    {
        Assert.False(await Workflows.ReplaceAsync(NewWorkflow(), expectedDraftNumber: 1));
        Assert.Empty((await Workflows.ListAsync(OrgA, new PageRequest())).Data);
    }

    [Fact]
    public async Task Deleting_a_workflow_deletes_its_tests_and_nothing_else()
    {
        var doomed = NewWorkflow();
        var kept = NewWorkflow(at: T0.AddSeconds(1));
        await Workflows.InsertAsync(doomed);
        await Workflows.InsertAsync(kept);
        var doomedTest = NewTest(doomed);
        var keptTest = NewTest(kept);
        await Tests.InsertAsync(doomedTest);
        await Tests.InsertAsync(keptTest);

        Assert.True(await Workflows.DeleteAsync(OrgA, doomed.Id));

        Assert.Null(await Workflows.GetAsync(OrgA, doomed.Id));
        Assert.Null(await Tests.GetAsync(OrgA, doomedTest.Id));
        Assert.Empty(await Tests.ListAllAsync(OrgA, doomed.Id));
        AssertSameWorkflow(kept, await Workflows.GetAsync(OrgA, kept.Id));
        AssertSameTest(keptTest, await Tests.GetAsync(OrgA, keptTest.Id));
        Assert.False(await Workflows.DeleteAsync(OrgA, doomed.Id));
    }

    [Fact]
    public async Task Another_organizations_workflow_is_invisible_and_untouchable()
    {
        var theirs = NewWorkflow(OrgB);
        await Workflows.InsertAsync(theirs);
        await Tests.InsertAsync(NewTest(theirs));

        Assert.Null(await Workflows.GetAsync(OrgA, theirs.Id));
        Assert.Empty((await Workflows.ListAsync(OrgA, new PageRequest())).Data);
        Assert.False(await Workflows.DeleteAsync(OrgA, theirs.Id));
        Assert.False(await Workflows.ReplaceAsync(theirs with { OrganizationId = OrgA, Name = "hijacked" }, theirs.DraftNumber));

        AssertSameWorkflow(theirs, await Workflows.GetAsync(OrgB, theirs.Id));
        Assert.Single(await Tests.ListAllAsync(OrgB, theirs.Id));
    }

    [Fact]
    public async Task A_test_reads_back_as_it_was_inserted()
    {
        var workflow = NewWorkflow();
        await Workflows.InsertAsync(workflow);
        var test = NewTest(workflow, data: new JsonObject { ["invoice"] = new JsonArray(1, "two", null, 3.5) });
        await Tests.InsertAsync(test);

        AssertSameTest(test, await Tests.GetAsync(OrgA, test.Id));
        AssertSameTest(test, (await Tests.ListAllAsync(OrgA, workflow.Id)).Single());
        AssertSameTest(test, (await Tests.ListAsync(OrgA, workflow.Id, null, new PageRequest())).Data.Single());
    }

    [Fact]
    public async Task Listing_all_tests_of_a_workflow_returns_them_oldest_first_and_only_that_workflows()
    {
        var workflow = NewWorkflow();
        var other = NewWorkflow(at: T0.AddSeconds(1));
        var tests = Enumerable.Range(0, 5).Select(i => NewTest(workflow, i % 2 == 0 ? "block_a" : "block_b", T0.AddSeconds(10 - i))).ToList();
        foreach (var test in tests.AsEnumerable().Reverse().Concat(tests).DistinctBy(t => t.Id))
            await Tests.InsertAsync(test);
        await Tests.InsertAsync(NewTest(other));

        var all = await Tests.ListAllAsync(OrgA, workflow.Id);

        Assert.Equal(tests.OrderBy(t => t.CreatedAt).Select(t => t.Id), all.Select(t => t.Id));
    }

    [Fact]
    public async Task Listing_tests_filters_by_target_block()
    {
        var workflow = NewWorkflow();
        var onA = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var test = NewTest(workflow, i < 4 ? "block_a" : "block_b", T0.AddSeconds(i));
            await Tests.InsertAsync(test);
            if (i < 4)
                onA.Add(test.Id);
        }

        var page = await Tests.ListAsync(OrgA, workflow.Id, "block_a", new PageRequest(Limit: 3, Order: SortOrder.Asc));
        Assert.Equal(onA.Take(3), page.Data.Select(t => t.Id));
        Assert.NotNull(page.After);
        var rest = await Tests.ListAsync(OrgA, workflow.Id, "block_a", new PageRequest(Limit: 3, After: page.After, Order: SortOrder.Asc));
        Assert.Equal(onA.Skip(3), rest.Data.Select(t => t.Id));
        Assert.Null(rest.After);
        Assert.Empty((await Tests.ListAsync(OrgA, workflow.Id, "block_none", new PageRequest())).Data);
    }

    [Fact]
    public async Task Replacing_a_test_changes_what_is_read()
    {
        var workflow = NewWorkflow();
        var test = NewTest(workflow);
        await Tests.InsertAsync(test);
        var edited = test with
        {
            Name = "renamed",
            Assertion = test.Assertion with { Condition = new JsonObject { ["kind"] = "equals", ["expected"] = 3 } },
            HandleInputs = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = "new" } },
            UpdatedAt = T0.AddHours(1),
        };

        Assert.True(await Tests.ReplaceAsync(edited));

        AssertSameTest(edited, await Tests.GetAsync(OrgA, test.Id));
    }

    [Fact]
    public async Task Replacing_or_deleting_an_unknown_test_fails()
    {
        var test = NewTest(NewWorkflow());
        Assert.False(await Tests.ReplaceAsync(test));
        Assert.False(await Tests.DeleteAsync(OrgA, test.Id));
        Assert.Null(await Tests.GetAsync(OrgA, test.Id));
    }

    [Fact]
    public async Task Deleting_a_test_removes_it()
    {
        var workflow = NewWorkflow();
        var test = NewTest(workflow);
        await Tests.InsertAsync(test);

        Assert.True(await Tests.DeleteAsync(OrgA, test.Id));
        Assert.Null(await Tests.GetAsync(OrgA, test.Id));
        Assert.Empty(await Tests.ListAllAsync(OrgA, workflow.Id));
        Assert.False(await Tests.DeleteAsync(OrgA, test.Id));
    }

    [Fact]
    public async Task Another_organizations_test_is_invisible_and_cannot_be_deleted()
    {
        var theirs = NewWorkflow(OrgB);
        var test = NewTest(theirs);
        await Tests.InsertAsync(test);

        Assert.Null(await Tests.GetAsync(OrgA, test.Id));
        Assert.Empty(await Tests.ListAllAsync(OrgA, theirs.Id));
        Assert.Empty((await Tests.ListAsync(OrgA, theirs.Id, null, new PageRequest())).Data);
        Assert.False(await Tests.DeleteAsync(OrgA, test.Id));
        AssertSameTest(test, await Tests.GetAsync(OrgB, test.Id));
    }

    [Fact]
    public async Task Another_organizations_test_cannot_be_overwritten_by_replace()
    {
        var theirs = NewTest(NewWorkflow(OrgB));
        await Tests.InsertAsync(theirs);

        // Same id, but claimed by organization A: the store must not hand the test over.
        var replaced = await Tests.ReplaceAsync(theirs with { OrganizationId = OrgA, Name = "hijacked" });

        Assert.False(replaced);
        AssertSameTest(theirs, await Tests.GetAsync(OrgB, theirs.Id));
        Assert.Null(await Tests.GetAsync(OrgA, theirs.Id));
    }
}
