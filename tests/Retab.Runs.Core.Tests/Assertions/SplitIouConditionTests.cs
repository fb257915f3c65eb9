using Retab.Runs.Core.Assertions;
using static Retab.Runs.Core.Tests.Assertions.AssertionKit;

namespace Retab.Runs.Core.Tests.Assertions;

/// <summary>split_iou_gte: mean over expected splits of |pages ∩| / |pages ∪| with the same-named actual split.</summary>
public sealed class SplitIouConditionTests
{
    private const string InvoiceAndReceipt = "{'splits':[{'name':'invoice','pages':[1,2]},{'name':'receipt','pages':[3]}]}";

    private static string Split(string expected, string? threshold = null) =>
        J($"{{'kind':'split_iou_gte','expected':{expected}{(threshold is null ? "" : $",'threshold':{threshold}")}}}");

    public static TheoryData<string, string, string?, string> SplitIouCases => new()
    {
        { Split(InvoiceAndReceipt), J(InvoiceAndReceipt), null, "passed" },
        // The splits array itself is accepted as the target.
        { Split(InvoiceAndReceipt), J("[{'name':'receipt','pages':[3]},{'name':'invoice','pages':[2,1]}]"), null, "passed" },
        // invoice IoU 1/2, receipt 1 → 0.75.
        { Split(InvoiceAndReceipt), J("{'splits':[{'name':'invoice','pages':[1]},{'name':'receipt','pages':[3]}]}"), null, "failed" },
        { Split(InvoiceAndReceipt, "0.75"), J("{'splits':[{'name':'invoice','pages':[1]},{'name':'receipt','pages':[3]}]}"), null, "passed" },
        { Split(InvoiceAndReceipt, "0.76"), J("{'splits':[{'name':'invoice','pages':[1]},{'name':'receipt','pages':[3]}]}"), null, "failed" },
        // A missing actual split scores 0 → mean 0.5.
        { Split(InvoiceAndReceipt, "0.5"), J("{'splits':[{'name':'invoice','pages':[1,2]}]}"), null, "passed" },
        { Split(InvoiceAndReceipt, "0.6"), J("{'splits':[{'name':'invoice','pages':[1,2]}]}"), null, "failed" },
        { Split(InvoiceAndReceipt, "0"), J("{'splits':[]}"), null, "passed" },
        // Both empty → 1.
        { Split("{'splits':[{'name':'blank','pages':[]}]}"), J("{'splits':[{'name':'blank','pages':[]}]}"), null, "passed" },
        { Split("{'splits':[{'name':'blank','pages':[]}]}"), J("{'splits':[{'name':'blank','pages':[4]}]}"), null, "failed" },
        // Extra actual splits are not penalised; same-named actual splits are merged.
        { Split(InvoiceAndReceipt), J("{'splits':[{'name':'invoice','pages':[1,2]},{'name':'receipt','pages':[3]},{'name':'other','pages':[4]}]}"), null, "passed" },
        { Split(InvoiceAndReceipt), J("{'splits':[{'name':'invoice','pages':[1]},{'name':'invoice','pages':[2]},{'name':'receipt','pages':[3]}]}"), null, "passed" },
        { Split(InvoiceAndReceipt), J("{'splits':[{'name':'Invoice','pages':[1,2]},{'name':'receipt','pages':[3]}]}"), null, "failed" },
        { Split("{'splits':[{'name':'facture é','pages':[1.0]}]}"), J("{'splits':[{'name':'facture é','pages':[1]}]}"), null, "passed" },
        { Split(InvoiceAndReceipt), "\"invoice\"", null, "blocked:type_error" },
        { Split(InvoiceAndReceipt), J("{'parts':[]}"), null, "blocked:type_error" },
        { Split(InvoiceAndReceipt), J("{'splits':[{'name':'invoice'}]}"), null, "blocked:type_error" },
        { Split(InvoiceAndReceipt), J("{'splits':[{'name':'invoice','pages':['1']}]}"), null, "blocked:type_error" },
        { Split(InvoiceAndReceipt), "{}", "splits_output", "blocked:path_not_found" },
        { Split("{'splits':[]}"), J(InvoiceAndReceipt), null, "blocked:invalid_condition" },
        { Split(InvoiceAndReceipt, "2"), J(InvoiceAndReceipt), null, "blocked:invalid_condition" },
    };

    [Theory, MemberData(nameof(SplitIouCases))]
    public Task Split_iou_gte_evaluates(string condition, string data, string? path, string expect) => AssertOutcomeAsync(condition, data, path, expect);

    [Fact]
    public async Task Result_carries_mean_iou_default_threshold_and_per_split_scores()
    {
        var result = await EvaluateAsync(Split(InvoiceAndReceipt), J("{'splits':[{'name':'invoice','pages':[1,5]},{'name':'receipt','pages':[3]}]}"));

        // invoice: {1,2} vs {1,5} → 1/3; receipt 1 → mean 2/3.
        Assert.Equal(AssertionOutcome.Failed, result.Outcome);
        Assert.Equal(2.0 / 3, result.Score!.Value, precision: 12);
        Assert.Equal(1.0, result.Threshold);
        Assert.Equal("split_iou", result.MetricKind);
        Assert.Equal(1.0 / 3, (double)result.Failure!.Details!["per_split"]!["invoice"]!, precision: 12);
    }
}
