using System.Text.Json.Nodes;
using Retab.Runs.Core.Flakiness;
using Retab.Runs.Core.Runs;
using Retab.Runs.Core.Workflows;
using static Retab.Runs.Core.Tests.Domain.DomainBuilders;

namespace Retab.Runs.Core.Tests.Flakiness;

public class FlakyRuleTests
{
    /// <summary>One row: verdicts oldest first (P passed, F failed, B blocked), the window, and the expected report.</summary>
    public static TheoryData<string, int, bool, int, int> Histories => new()
    {
        { "", 10, false, 0, 0 },
        { "P", 10, false, 0, 1 },
        { "PPPP", 10, false, 0, 4 },
        { "FFF", 10, false, 0, 3 },
        { "PF", 10, true, 1, 2 },
        { "PFP", 10, true, 2, 3 },
        { "PFPFPF", 10, true, 5, 6 },
        { "PPB", 10, true, 1, 3 },
        { "BF", 10, true, 1, 2 },
        // Only the newest results count: an old flip falls out of the window.
        { "FPPPP", 4, false, 0, 4 },
        { "FPPPP", 5, true, 1, 5 },
        { "PFPPPPPPPPPP", 10, false, 0, 10 },
        { "PPPPPPPPPPPF", 10, true, 1, 10 },
    };

    [Theory]
    [MemberData(nameof(Histories))]
    public void Flips_are_counted_between_consecutive_verdicts_of_the_newest_results(string history, int window, bool isFlaky, int flips, int considered)
    {
        var report = FlakyRule.Evaluate(Samples(history), window);
        Assert.Equal(new FlakyReport(isFlaky, flips, considered), report);
    }

    [Fact]
    public void Samples_are_ordered_by_completion_not_by_how_the_store_returned_them()
    {
        // Completed P, P, F, F; given shuffled: one flip, not three.
        var samples = Samples("PPFF");
        var shuffled = new[] { samples[2], samples[0], samples[3], samples[1] };
        Assert.Equal(new FlakyReport(true, 1, 4), FlakyRule.Evaluate(shuffled, 10));
    }

    [Fact]
    public void Results_completed_in_the_same_millisecond_are_ordered_by_id()
    {
        VerdictSample[] samples =
        [
            new("wfnodetestrun_c", Verdict.Passed, T0),
            new("wfnodetestrun_a", Verdict.Passed, T0),
            new("wfnodetestrun_b", Verdict.Failed, T0),
        ];
        // a P, b F, c P: two flips; and with a window of 2, b and c.
        Assert.Equal(new FlakyReport(true, 2, 3), FlakyRule.Evaluate(samples, 10));
        Assert.Equal(new FlakyReport(true, 1, 2), FlakyRule.Evaluate(samples, 2));
    }

    [Fact]
    public void A_test_with_no_comparable_result_is_not_flaky()
    {
        Assert.Same(FlakyReport.None, FlakyRule.Evaluate([], 10));
        Assert.Equal(new FlakyReport(false, 0, 0), FlakyReport.None);
    }

    [Fact]
    public void The_window_key_follows_the_block_config_and_the_inputs_not_the_rest_of_the_draft()
    {
        var tested = FunctionBlock("block_a");
        var other = FunctionBlock("block_b");
        var workflow = Workflow(tested, other);
        var test = Test(workflow, tested.Id, JsonValue.Create(5));
        var key = FlakyWindowKey.Current(test, workflow)!;

        var otherEdited = workflow.WithDraft([tested, other with { Config = new JsonObject { ["code"] = "function main(){return 2}" } }], T0);
        Assert.Equal(key, FlakyWindowKey.Current(test, otherEdited));

        var configEdited = workflow.WithDraft([tested with { Config = new JsonObject { ["code"] = "function main(){return 3}" } }, other], T0);
        Assert.NotEqual(key.Fingerprint, FlakyWindowKey.Current(test, configEdited)!.Fingerprint);

        var inputsEdited = test with { HandleInputs = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = 6 } } };
        Assert.NotEqual(key.Fingerprint, FlakyWindowKey.Current(inputsEdited, workflow)!.Fingerprint);

        var assertionEdited = test with { Assertion = ExistsAssertion("another label") };
        Assert.Equal(key, FlakyWindowKey.Current(assertionEdited, workflow));

        Assert.Null(FlakyWindowKey.Current(test, workflow.WithDraft([other], T0)));
        Assert.Null(FlakyWindowKey.Current(test, null));
    }

    [Fact]
    public void A_planned_result_carries_the_key_its_test_has_when_it_is_planned()
    {
        var tested = FunctionBlock("block_a");
        var workflow = Workflow(tested);
        var test = Test(workflow, tested.Id);
        var plan = RunPlanner.Plan(workflow, [test], RunScopeSpec.WholeWorkflow);
        var slot = Results.ResultSlots.Create(PendingRun(plan), plan, T0, TimeSpan.FromMinutes(1)).Single();

        Assert.Equal(FlakyWindowKey.Current(test, workflow), FlakyWindowKey.Of(slot.Fingerprints));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(FlakyOptions.MaxWindow + 1)]
    public void A_window_that_cannot_flip_or_is_too_large_fails_at_start(int window) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlakyOptions { Window = window }.Validate());

    private static VerdictSample[] Samples(string history) =>
        history.Select((letter, i) => new VerdictSample(
            $"wfnodetestrun_{i:D4}",
            letter switch { 'P' => Verdict.Passed, 'F' => Verdict.Failed, _ => Verdict.Blocked },
            T0.AddMinutes(i))).ToArray();
}
