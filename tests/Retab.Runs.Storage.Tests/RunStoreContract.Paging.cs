using Retab.Runs.Core.Common;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Stores;

namespace Retab.Runs.Storage.Tests;

/// <summary>Cursor pagination (DESIGN §3.1) and the run list filters.</summary>
public abstract partial class RunStoreContract
{
    /// <summary>Inserts <paramref name="count"/> workflows one second apart; returns their ids oldest first.</summary>
    private async Task<List<string>> InsertWorkflowsAsync(int count, string org = OrgA)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var workflow = NewWorkflow(org, T0.AddSeconds(i));
            await Workflows.InsertAsync(workflow);
            ids.Add(workflow.Id);
        }
        return ids;
    }

    private Task<Page<Core.Workflows.Workflow>> WorkflowPageAsync(int limit, SortOrder order, string? after = null, string? before = null) =>
        Workflows.ListAsync(OrgA, new PageRequest(limit, Before: before, After: after, Order: order));

    [Theory]
    [InlineData(0, 3, SortOrder.Desc)]
    [InlineData(1, 3, SortOrder.Desc)]
    [InlineData(3, 3, SortOrder.Desc)]
    [InlineData(4, 3, SortOrder.Desc)]
    [InlineData(7, 3, SortOrder.Desc)]
    [InlineData(7, 1, SortOrder.Desc)]
    [InlineData(9, 3, SortOrder.Asc)]
    [InlineData(7, 3, SortOrder.Asc)]
    [InlineData(2, 100, SortOrder.Asc)]
    [InlineData(5, 1, SortOrder.Asc)]
    public async Task Walking_after_cursors_visits_every_item_once_in_order(int count, int limit, SortOrder order)
    {
        var ids = await InsertWorkflowsAsync(count);
        var expected = order == SortOrder.Desc ? ids.AsEnumerable().Reverse().ToList() : ids;

        var seen = new List<string>();
        string? after = null;
        var pageNumber = 0;
        do
        {
            var page = await WorkflowPageAsync(limit, order, after);
            Assert.InRange(page.Data.Count, count == 0 ? 0 : 1, limit);
            seen.AddRange(page.Data.Select(w => w.Id));

            // after != null exactly when more items follow, and then it is the last id of the page.
            var moreFollow = seen.Count < count;
            Assert.Equal(moreFollow, page.After is not null);
            if (moreFollow)
                Assert.Equal(page.Data[^1].Id, page.After);
            // before != null exactly when items precede, and then it is the first id of the page.
            Assert.Equal(pageNumber > 0, page.Before is not null);
            if (pageNumber > 0)
                Assert.Equal(page.Data[0].Id, page.Before);

            after = page.After;
            pageNumber++;
            Assert.True(pageNumber <= count + 1, "pagination does not end");
        } while (after is not null);

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Lists_default_to_newest_first()
    {
        var ids = await InsertWorkflowsAsync(4);
        var page = await Workflows.ListAsync(OrgA, new PageRequest());
        Assert.Equal(ids.AsEnumerable().Reverse(), page.Data.Select(w => w.Id));
        Assert.Null(page.Before);
        Assert.Null(page.After);
    }

    [Theory]
    [InlineData(SortOrder.Desc, 3, 3)] // cursor at position 3 of the listing: the 3 items before it
    [InlineData(SortOrder.Desc, 1, 3)]
    [InlineData(SortOrder.Desc, 6, 2)]
    [InlineData(SortOrder.Asc, 4, 3)]
    [InlineData(SortOrder.Asc, 2, 3)]
    [InlineData(SortOrder.Asc, 6, 6)]
    public async Task A_before_cursor_returns_the_items_just_before_it_in_listing_order(SortOrder order, int cursorPosition, int limit)
    {
        var ids = await InsertWorkflowsAsync(7);
        var listing = order == SortOrder.Desc ? ids.AsEnumerable().Reverse().ToList() : ids;
        var cursor = listing[cursorPosition];

        var page = await WorkflowPageAsync(limit, order, before: cursor);

        var start = Math.Max(0, cursorPosition - limit);
        Assert.Equal(listing[start..cursorPosition], page.Data.Select(w => w.Id));
        // The cursor item itself follows the page, so after names the page's last item.
        Assert.Equal(listing[cursorPosition - 1], page.After);
        // Items precede only if the page did not reach the start of the listing.
        Assert.Equal(start > 0, page.Before is not null);
        if (start > 0)
            Assert.Equal(listing[start], page.Before);
    }

    [Fact]
    public async Task Walking_back_with_before_cursors_retraces_the_pages()
    {
        var ids = await InsertWorkflowsAsync(8);
        var forward = new List<List<string>>();
        string? after = null;
        do
        {
            var page = await WorkflowPageAsync(3, SortOrder.Desc, after);
            forward.Add(page.Data.Select(w => w.Id).ToList());
            after = page.After;
        } while (after is not null);

        var backward = new List<List<string>>();
        var before = forward[^1][0];
        while (before is not null)
        {
            var page = await WorkflowPageAsync(3, SortOrder.Desc, before: before);
            backward.Insert(0, page.Data.Select(w => w.Id).ToList());
            before = page.Before;
        }

        // 8 items in pages of 3: [7 6 5] [4 3 2] [1 0]; going back from the start of the last page gives [7 6 5] [4 3 2].
        Assert.Equal(forward.Take(forward.Count - 1).SelectMany(p => p), backward.SelectMany(p => p));
        Assert.Equal(ids.AsEnumerable().Reverse(), forward.SelectMany(p => p));
    }

    [Fact]
    public async Task An_empty_page_has_no_cursors()
    {
        var ids = await InsertWorkflowsAsync(2);
        var page = await WorkflowPageAsync(5, SortOrder.Desc, after: ids[0]);
        Assert.Empty(page.Data);
        Assert.Null(page.After);
    }

    [Fact]
    public async Task Pagination_never_mixes_in_another_organizations_items()
    {
        await InsertWorkflowsAsync(3, OrgB);
        var mine = await InsertWorkflowsAsync(2);
        await InsertWorkflowsAsync(3, OrgB);

        var first = await WorkflowPageAsync(1, SortOrder.Asc);
        var second = await WorkflowPageAsync(1, SortOrder.Asc, first.After);
        Assert.Equal([mine[0]], first.Data.Select(w => w.Id));
        Assert.Equal([mine[1]], second.Data.Select(w => w.Id));
        Assert.Null(second.After);
    }

    // ---- run list filters ----------------------------------------------------------------------------------

    private sealed record RunFixture(Dictionary<string, string> Ids, string Wf1, string Wf2, string TestT1);

    /// <summary>r1…r4 in organization A (one second apart), plus one run in organization B that no filter may return.</summary>
    private async Task<RunFixture> InsertRunsForFiltersAsync()
    {
        var (wf1, tests1, plan1) = Planned(3, OrgA, T0);
        var (wf2, _, plan2) = Planned(1, OrgA, T0);
        var t1 = tests1[0]; // targets block_a
        var singlePlan = RunPlanner.Plan(wf1, tests1, new RunScopeSpec(RunScopeType.Single, TestId: t1.Id));
        var blockPlan = RunPlanner.Plan(wf1, tests1, new RunScopeSpec(RunScopeType.Block, BlockId: "block_a"));
        Assert.True(singlePlan.IsValid && blockPlan.IsValid);

        var runs = new Dictionary<string, TestRun>
        {
            ["r1"] = NewPendingRun(plan1, at: T0.AddSeconds(1)) with { Status = RunStatus.Completed },
            ["r2"] = NewPendingRun(blockPlan, at: T0.AddSeconds(2), scope: new RunScopeSpec(RunScopeType.Block, BlockId: "block_a"), trigger: RunDocuments.CustomTrigger),
            ["r3"] = NewPendingRun(singlePlan, at: T0.AddSeconds(3), scope: new RunScopeSpec(RunScopeType.Single, TestId: t1.Id)) with { Status = RunStatus.Cancelled },
            ["r4"] = NewPendingRun(plan2, at: T0.AddSeconds(4)) with { Status = RunStatus.Queued },
            ["other-org"] = NewPendingRun(plan1, OrgB, T0.AddSeconds(2)),
        };
        foreach (var run in runs.Values)
            await Runs.InsertRunAsync(run);
        return new RunFixture(runs.ToDictionary(p => p.Value.Id, p => p.Key), wf1.Id, wf2.Id, t1.Id);
    }

    public static TheoryData<string, string[]> RunFilters => new()
    {
        { "none", ["r4", "r3", "r2", "r1"] },
        { "workflow_id=wf1", ["r3", "r2", "r1"] },
        { "workflow_id=wf2", ["r4"] },
        { "test_id=t1", ["r3"] },
        { "target_block_id=block_a", ["r3", "r2"] },
        { "status=pending", ["r2"] },
        { "status=completed", ["r1"] },
        { "exclude_status=completed", ["r4", "r3", "r2"] },
        { "trigger_type=custom", ["r2"] },
        { "trigger_type=api", ["r4", "r3", "r1"] },
        { "from_date=+2s", ["r4", "r3", "r2"] },
        { "to_date=+2s", ["r2", "r1"] },
        { "from_date=+2s&to_date=+3s", ["r3", "r2"] },
        { "workflow_id=wf1&exclude_status=cancelled", ["r2", "r1"] },
        { "status=running", [] },
    };

    private static RunQuery QueryFor(string name, RunFixture fixture) => name switch
    {
        "none" => new RunQuery(),
        "workflow_id=wf1" => new RunQuery(WorkflowId: fixture.Wf1),
        "workflow_id=wf2" => new RunQuery(WorkflowId: fixture.Wf2),
        "test_id=t1" => new RunQuery(TestId: fixture.TestT1),
        "target_block_id=block_a" => new RunQuery(TargetBlockId: "block_a"),
        "status=pending" => new RunQuery(Status: RunStatus.Pending),
        "status=completed" => new RunQuery(Status: RunStatus.Completed),
        "status=running" => new RunQuery(Status: RunStatus.Running),
        "exclude_status=completed" => new RunQuery(ExcludeStatus: RunStatus.Completed),
        "trigger_type=custom" => new RunQuery(TriggerType: RunDocuments.CustomTrigger),
        "trigger_type=api" => new RunQuery(TriggerType: RunDocuments.ApiTrigger),
        "from_date=+2s" => new RunQuery(FromDate: T0.AddSeconds(2)),
        "to_date=+2s" => new RunQuery(ToDate: T0.AddSeconds(2)),
        "from_date=+2s&to_date=+3s" => new RunQuery(FromDate: T0.AddSeconds(2), ToDate: T0.AddSeconds(3)),
        "workflow_id=wf1&exclude_status=cancelled" => new RunQuery(WorkflowId: fixture.Wf1, ExcludeStatus: RunStatus.Cancelled),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(RunFilters))]
    public async Task Run_list_filters_select_the_matching_runs_of_the_organization(string filter, string[] expected)
    {
        var fixture = await InsertRunsForFiltersAsync();
        var page = await Runs.ListRunsAsync(OrgA, QueryFor(filter, fixture), new PageRequest(Limit: 100));
        Assert.Equal(expected, page.Data.Select(r => fixture.Ids[r.Id]));
        Assert.Null(page.After);
    }

    [Theory]
    [MemberData(nameof(RunFilters))]
    public async Task Run_list_filters_page_one_run_at_a_time_with_exact_cursors(string filter, string[] expected)
    {
        var fixture = await InsertRunsForFiltersAsync();
        var query = QueryFor(filter, fixture);
        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await Runs.ListRunsAsync(OrgA, query, new PageRequest(Limit: 1, After: after));
            seen.AddRange(page.Data.Select(r => fixture.Ids[r.Id]));
            // after != null exactly when more matching runs follow.
            Assert.Equal(seen.Count < expected.Length, page.After is not null);
            after = page.After;
        } while (after is not null && seen.Count <= expected.Length);
        Assert.Equal(expected, seen);
    }

    // ---- results list ----------------------------------------------------------------------------------------

    [Fact]
    public async Task Results_are_listed_by_run_with_status_and_verdict_filters()
    {
        var (run, slots) = await QueueRunAsync(6);
        await QueueRunAsync(2); // another run's results never show
        await Runs.ApplySlotEventsAsync(
        [
            Finished(slots[0], Verdict.Passed),
            Finished(slots[1], Verdict.Failed),
            Finished(slots[2], Verdict.Passed),
            Started(slots[3]),
            Finished(slots[4], null, SlotStatus.Error),
        ], T0.AddSeconds(5));

        async Task<IEnumerable<string>> IdsAsync(ResultQuery query) =>
            (await Runs.ListResultsAsync(OrgA, query, new PageRequest(100, Order: SortOrder.Asc))).Data.Select(r => r.Id);

        Assert.Equal(slots.Select(s => s.Id), await IdsAsync(new ResultQuery(run.Id)));
        Assert.Equal([slots[0].Id, slots[1].Id, slots[2].Id], await IdsAsync(new ResultQuery(run.Id, SlotStatus.Completed)));
        Assert.Equal([slots[3].Id], await IdsAsync(new ResultQuery(run.Id, SlotStatus.Running)));
        Assert.Equal([slots[5].Id], await IdsAsync(new ResultQuery(run.Id, SlotStatus.Queued)));
        Assert.Equal([slots[4].Id], await IdsAsync(new ResultQuery(run.Id, SlotStatus.Error)));
        Assert.Equal([slots[0].Id, slots[2].Id], await IdsAsync(new ResultQuery(run.Id, Verdict: Verdict.Passed)));
        Assert.Equal([slots[1].Id], await IdsAsync(new ResultQuery(run.Id, SlotStatus.Completed, Verdict.Failed)));
        Assert.Empty(await IdsAsync(new ResultQuery(run.Id, Verdict: Verdict.Blocked)));
        Assert.Equal([slots[0].Id, slots[1].Id, slots[2].Id, slots[4].Id], await IdsAsync(new ResultQuery(run.Id, Ended: true)));
        Assert.Equal([slots[3].Id, slots[5].Id], await IdsAsync(new ResultQuery(run.Id, Ended: false)));
        Assert.Equal([slots[1].Id], await IdsAsync(new ResultQuery(run.Id, Verdict: Verdict.Failed, Ended: true)));
        Assert.Empty((await Runs.ListResultsAsync(OrgB, new ResultQuery(run.Id), new PageRequest())).Data);
    }

    [Fact]
    public async Task Results_page_with_the_same_cursor_rules()
    {
        var (run, slots) = await QueueRunAsync(5);
        var first = await Runs.ListResultsAsync(OrgA, new ResultQuery(run.Id), new PageRequest(2));
        var second = await Runs.ListResultsAsync(OrgA, new ResultQuery(run.Id), new PageRequest(2, After: first.After));
        var third = await Runs.ListResultsAsync(OrgA, new ResultQuery(run.Id), new PageRequest(2, After: second.After));

        var newestFirst = slots.Select(s => s.Id).Reverse().ToList();
        Assert.Equal(newestFirst[..2], first.Data.Select(r => r.Id));
        Assert.Equal(newestFirst[2..4], second.Data.Select(r => r.Id));
        Assert.Equal(newestFirst[4..], third.Data.Select(r => r.Id));
        Assert.Null(first.Before);
        Assert.NotNull(second.After);
        Assert.Null(third.After);
        Assert.Equal(newestFirst[4], third.Before);
    }

    [Theory]
    [InlineData(SortOrder.Asc)]
    [InlineData(SortOrder.Desc)]
    public async Task Results_of_a_run_whose_id_extends_another_runs_id_stay_apart(SortOrder order)
    {
        var (shorter, longer, slotsByRun) = await QueueRunsSharingAPrefixAsync();

        foreach (var run in new[] { shorter, longer })
        {
            var seen = new List<string>();
            string? after = null;
            do
            {
                var page = await Runs.ListResultsAsync(OrgA, new ResultQuery(run.Id), new PageRequest(3, After: after, Order: order));
                seen.AddRange(page.Data.Select(r => r.Id));
                after = page.After;
            } while (after is not null && seen.Count <= 8);
            var expected = order == SortOrder.Asc ? slotsByRun[run.Id] : Enumerable.Reverse(slotsByRun[run.Id]).ToList();
            Assert.Equal(expected, seen);
        }
    }

    [Fact]
    public async Task Slots_of_a_run_whose_id_extends_another_runs_id_are_counted_found_and_ended_apart()
    {
        var (shorter, longer, slotsByRun) = await QueueRunsSharingAPrefixAsync();
        var shorterSlots = (await Runs.GetActiveSlotsAsync(shorter.Id)).Select(s => s.Id).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(slotsByRun[shorter.Id], shorterSlots);
        var aTest = (await Runs.GetResultAsync(OrgA, shorterSlots[0]))!.TestId;
        Assert.Equal(shorter.Id, (await Runs.GetResultByTestAsync(OrgA, shorter.Id, aTest))?.RunId);
        Assert.Equal(longer.Id, (await Runs.GetResultByTestAsync(OrgA, longer.Id, aTest))?.RunId);

        var cancelled = await Runs.CancelRunAsync(shorter.Id, "enough", T0.AddSeconds(1));

        Assert.Equal(4, cancelled!.Counts.Cancelled);
        Assert.Equal(4, cancelled.Counts.Total);
        Assert.Equal(4, (await Runs.ReconcileCountsAsync(longer.Id))!.Counts.Queued);
        Assert.Equal(slotsByRun[longer.Id], (await Runs.GetActiveSlotsAsync(longer.Id)).Select(s => s.Id).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("wftestrun")]
    [InlineData("result_abc")]
    public async Task An_id_that_is_not_a_run_id_has_no_results_by_test_or_by_page(string runId)
    {
        // Both reach the store from user input (the results routes, a test's run_step source) before any run is found.
        var (_, slots) = await QueueRunAsync(2);

        Assert.Null(await Runs.GetResultByTestAsync(OrgA, runId, slots[0].TestId));
        Assert.Empty((await Runs.ListResultsAsync(OrgA, new ResultQuery(runId), new PageRequest(10))).Data);
    }

    /// <summary>
    /// Two queued runs of the same four tests whose ids differ only by a suffix: run ids from bus publishers may differ in
    /// length, so one run's result ids can start with another's prefix. Slot ids by run, in id order.
    /// </summary>
    private async Task<(TestRun Shorter, TestRun Longer, Dictionary<string, List<string>> SlotIds)> QueueRunsSharingAPrefixAsync()
    {
        var (_, _, plan) = Planned(4);
        var shorter = NewPendingRun(plan);
        var longer = shorter with { Id = shorter.Id + "x" };
        var slotsByRun = new Dictionary<string, List<string>>();
        foreach (var run in new[] { longer, shorter })
        {
            await Runs.InsertRunAsync(run);
            var slots = ResultSlots.Create(run, plan, T0, Deadline).ToList();
            Assert.NotNull(await Runs.QueuePlannedRunAsync(run.Id, slots, T0));
            slotsByRun[run.Id] = slots.Select(s => s.Id).Order(StringComparer.Ordinal).ToList();
        }
        return (shorter, longer, slotsByRun);
    }
}
