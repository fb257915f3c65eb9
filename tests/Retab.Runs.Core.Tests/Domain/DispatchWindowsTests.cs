using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Core.Tests.Domain;

public sealed class DispatchWindowsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_slot_is_in_flight_from_when_it_was_taken_until_it_is_released_or_given_back()
    {
        var windows = new DispatchWindows(2);
        var run = Run("wftestrun_sent", "org_a");
        windows.Admit(run);
        Fill(windows, run, 3);

        var first = windows.Take("org_a", T0);
        Assert.All(first, slot => Assert.Equal(T0, windows.SentAt(slot.Id)));
        windows.Release(first[0].Id);
        Assert.Null(windows.SentAt(first[0].Id));

        var later = T0.AddMinutes(3);
        var next = Assert.Single(windows.Take("org_a", later));
        Assert.Equal(later, windows.SentAt(next.Id));
        Assert.Equal(["org_a"], windows.GiveBack([next]));
        Assert.Null(windows.SentAt(next.Id));
        Assert.Equal(1, windows.InFlight("org_a"));
    }

    [Fact]
    public void An_organization_never_has_more_tests_out_than_its_limit()
    {
        var windows = new DispatchWindows(3);
        var run = Run("wftestrun_big", "org_a");
        windows.Admit(run);
        Fill(windows, run, 10);

        Assert.Equal(3, windows.Take("org_a", T0).Count);
        Assert.Empty(windows.Take("org_a", T0));
        Assert.Equal(3, windows.InFlight("org_a"));
    }

    [Fact]
    public void A_finished_test_lets_exactly_one_more_in_and_a_duplicate_lets_none()
    {
        var windows = new DispatchWindows(2);
        var run = Run("wftestrun_big", "org_a");
        windows.Admit(run);
        Fill(windows, run, 5);
        var first = windows.Take("org_a", T0);

        Assert.Equal("org_a", windows.Release(first[0].Id));
        Assert.Null(windows.Release(first[0].Id));
        var next = Assert.Single(windows.Take("org_a", T0));
        Assert.Equal(SlotId(run, 2), next.Id);
        Assert.Empty(windows.Take("org_a", T0));
    }

    [Fact]
    public void One_organization_at_its_limit_does_not_hold_back_another()
    {
        var windows = new DispatchWindows(2);
        var huge = Run("wftestrun_huge", "org_a");
        var single = Run("wftestrun_one", "org_b");
        windows.Admit(huge);
        Fill(windows, huge, 1000);
        Assert.Equal(2, windows.Take("org_a", T0).Count);

        windows.Admit(single);
        Fill(windows, single, 1);
        Assert.Single(windows.Take("org_b", T0));
    }

    [Fact]
    public void Runs_of_one_organization_share_its_window_in_turn()
    {
        var windows = new DispatchWindows(4);
        var first = Run("wftestrun_first", "org_a");
        var second = Run("wftestrun_second", "org_a");
        windows.Admit(first);
        windows.Admit(second);
        Fill(windows, first, 100);
        Fill(windows, second, 100);

        var taken = windows.Take("org_a", T0);
        Assert.Equal(2, taken.Count(s => s.RunId == first.Id));
        Assert.Equal(2, taken.Count(s => s.RunId == second.Id));
    }

    [Fact]
    public void A_forgotten_run_frees_its_places_and_its_late_results_free_nothing_more()
    {
        var windows = new DispatchWindows(2);
        var cancelled = Run("wftestrun_cancelled", "org_a");
        var other = Run("wftestrun_other", "org_a");
        windows.Admit(cancelled);
        Fill(windows, cancelled, 10);
        var out1 = windows.Take("org_a", T0);

        Assert.Equal("org_a", windows.Forget(cancelled.Id));
        Assert.Equal(0, windows.InFlight("org_a"));
        Assert.Null(windows.Release(out1[0].Id));
        Assert.False(windows.IsSending(cancelled.Id));

        windows.Admit(other);
        Fill(windows, other, 10);
        Assert.Equal(2, windows.Take("org_a", T0).Count);
    }

    [Fact]
    public void A_run_admitted_again_is_read_from_its_first_slot_and_a_slot_already_out_counts_once()
    {
        var windows = new DispatchWindows(10);
        var run = Run("wftestrun_restarted", "org_a");
        windows.Admit(run);
        Fill(windows, run, 3);
        Assert.Equal(3, windows.Take("org_a", T0).Count);

        windows.Admit(run);
        Assert.Equal(0, windows.InFlight("org_a"));
        Assert.Equal([(run.Id, (string?)null)], windows.RunsToRefill("org_a"));
        Fill(windows, run, 3);
        Assert.Equal(3, windows.Take("org_a", T0).Count);
        Assert.Equal(3, windows.InFlight("org_a"));
    }

    [Fact]
    public void Pages_are_asked_for_in_order_and_a_stale_page_is_ignored()
    {
        var windows = new DispatchWindows(0);
        var run = Run("wftestrun_paged", "org_a");
        windows.Admit(run);
        windows.Refill(run.Id, null, Slots(run, 0, 2), "cursor_1");
        windows.Refill(run.Id, null, Slots(run, 0, 2), "cursor_1"); // the same page read twice: ignored
        Assert.Equal(2, windows.Take("org_a", T0).Count);
        Assert.Equal([(run.Id, (string?)"cursor_1")], windows.RunsToRefill("org_a"));

        windows.Refill(run.Id, "cursor_1", Slots(run, 2, 1), null);
        Assert.Single(windows.Take("org_a", T0));
        Assert.Empty(windows.RunsToRefill("org_a"));
    }

    [Fact]
    public void A_run_read_to_its_end_with_nothing_out_is_no_longer_tracked()
    {
        var windows = new DispatchWindows(5);
        var run = Run("wftestrun_done", "org_a");
        windows.Admit(run);
        Fill(windows, run, 2);
        var taken = windows.Take("org_a", T0);
        Assert.True(windows.IsSending(run.Id));

        foreach (var slot in taken)
            windows.Release(slot.Id);
        Assert.False(windows.IsSending(run.Id));
        Assert.Equal(0, windows.InFlight("org_a"));
    }

    private static TestRun Run(string id, string organizationId) =>
        DomainBuilders.PendingRun(Plan()) with { Id = id, OrganizationId = organizationId };

    private static RunPlan Plan()
    {
        var block = DomainBuilders.FunctionBlock("block_a");
        var workflow = DomainBuilders.Workflow(block);
        return RunPlanner.Plan(workflow, [DomainBuilders.Test(workflow, block.Id)], RunScopeSpec.WholeWorkflow);
    }

    /// <summary>The whole run as one page.</summary>
    private static void Fill(DispatchWindows windows, TestRun run, int count) => windows.Refill(run.Id, null, Slots(run, 0, count), null);

    private static IEnumerable<TestResult> Slots(TestRun run, int from, int count) =>
        Enumerable.Range(from, count).Select(i => DomainBuilders.Slot() with { Id = SlotId(run, i), RunId = run.Id, OrganizationId = run.OrganizationId }).ToList();

    private static string SlotId(TestRun run, int i) => $"{run.Id}_slot_{i:D5}";
}
