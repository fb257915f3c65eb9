namespace Retab.Runs.Acceptance.Tests;

/// <summary>The count invariants of DESIGN §3.4, checked on every run the API returns.</summary>
public static class RunInvariants
{
    private static readonly string[] Lifecycles = ["pending", "queued", "running", "completed", "error", "cancelled"];

    public static bool IsTerminal(JsonNode run) =>
        Status(run) is "completed" or "error" or "cancelled";

    public static string Status(JsonNode run) => run["lifecycle"]!["status"]!.GetValue<string>();

    public static void Check(JsonNode run)
    {
        var counts = run["counts"]!;
        var lifecycle = counts["lifecycle_counts"]!;
        var outcome = counts["outcome"]!;
        var total = run["total_tests"]!.GetValue<int>();
        int L(string key) => lifecycle[key]!.GetValue<int>();
        int O(string key) => outcome[key]!.GetValue<int>();
        int C(string key) => counts[key]!.GetValue<int>();

        var context = run.ToJsonString();
        Assert.True(Lifecycles.Sum(L) == total, $"Σ lifecycle_counts != total_tests: {context}");
        Assert.True(O("passed") + O("failed") + O("blocked") == L("completed"), $"Σ outcome != completed: {context}");
        Assert.True(C("passed") == O("passed") && C("failed") == O("failed") && C("blocked") == O("blocked"), $"flat verdict counts != outcome: {context}");
        Assert.True(C("queued") == L("pending") + L("queued"), $"flat queued != pending + queued: {context}");
        Assert.True(C("running") == L("running") && C("error") == L("error") && C("cancelled") == L("cancelled"), $"flat lifecycle counts differ: {context}");
        Assert.Equal(run["workflow_id"]!.GetValue<string>(), run["workflow"]!["workflow_id"]!.GetValue<string>());
        Assert.Equal(run["workflow_version_id"]!.GetValue<string>(), run["workflow"]!["version_id"]!.GetValue<string>());
        if (Status(run) == "completed")
            Assert.True(L("completed") + L("error") + L("cancelled") == total, $"completed run with active slots: {context}");
    }
}
