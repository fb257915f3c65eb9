using System.Text.Json.Nodes;

namespace Retab.Runs.Benchmarks;

/// <summary>
/// The trivial function test every scenario runs: the block echoes <c>input.i</c> as <c>v</c>; test i asserts
/// <c>v equals i</c>, except every 7th (i % 7 == 0), which expects -1 and fails. So a run of N tests must end with
/// exactly <see cref="Failing"/>(N) failed, the rest passed, none blocked or in error.
/// </summary>
public static class Workload
{
    public const string BlockId = "block_echo";
    public const string EchoCode = "function main(input) { return { v: input.i }; }";
    public const int FailEvery = 7;

    public static int Failing(int tests) => (tests + FailEvery - 1) / FailEvery;

    public static int Passing(int tests) => tests - Failing(tests);

    public static JsonObject Input(int i) => new() { ["i"] = i };

    public static JsonObject Condition(int i) => new() { ["kind"] = "equals", ["expected"] = i % FailEvery == 0 ? -1 : i };

    public static JsonObject TestBody(string workflowId, string blockId, int i) => new()
    {
        ["workflow_id"] = workflowId,
        ["name"] = $"echo {i}",
        ["target"] = new JsonObject { ["type"] = "block", ["block_id"] = blockId },
        ["source"] = new JsonObject
        {
            ["type"] = "manual",
            ["handle_inputs"] = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = Input(i) } },
        },
        ["assertion"] = new JsonObject
        {
            ["target"] = new JsonObject { ["output_handle_id"] = "output-json-0", ["path"] = "v" },
            ["condition"] = Condition(i),
        },
    };

    /// <summary>
    /// Checks a finished run of <paramref name="tests"/> tests: the event, the run as the API shows it (with the count
    /// invariants of DESIGN §3.4) and, when listed, the result rows. Returns every discrepancy (none = exact).
    /// </summary>
    public static List<string> Verify(int tests, RunCompletion completion, JsonNode run, (int Rows, int DistinctTests, Dictionary<string, int> Verdicts)? results)
    {
        var problems = new List<string>();
        void Expect<T>(string what, T expected, T actual)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
                problems.Add($"{what}: expected {expected}, got {actual}");
        }

        int passing = Passing(tests), failing = Failing(tests);
        Expect("event status", "completed", completion.Status);
        Expect("event total_tests", tests, completion.TotalTests);
        Expect("event completed", tests, completion.Completed);
        Expect("event passed", passing, completion.Passed);
        Expect("event failed", failing, completion.Failed);
        Expect("event blocked", 0, completion.Blocked);
        Expect("event error", 0, completion.Error);
        Expect("event cancelled", 0, completion.Cancelled);
        Expect("event active slots", 0, completion.Pending + completion.Queued + completion.Running);

        var counts = run["counts"]!;
        var lifecycle = counts["lifecycle_counts"]!;
        var outcome = counts["outcome"]!;
        int L(string key) => lifecycle[key]!.GetValue<int>();
        int O(string key) => outcome[key]!.GetValue<int>();
        int C(string key) => counts[key]!.GetValue<int>();
        Expect("api status", "completed", run["lifecycle"]!["status"]!.GetValue<string>());
        Expect("api total_tests", tests, run["total_tests"]!.GetValue<int>());
        Expect("api lifecycle completed", tests, L("completed"));
        Expect("api Σ lifecycle_counts", tests, L("pending") + L("queued") + L("running") + L("completed") + L("error") + L("cancelled"));
        Expect("api Σ outcome", L("completed"), O("passed") + O("failed") + O("blocked"));
        Expect("api passed", passing, C("passed"));
        Expect("api failed", failing, C("failed"));
        Expect("api blocked", 0, C("blocked"));
        Expect("api flat = outcome", (O("passed"), O("failed"), O("blocked")), (C("passed"), C("failed"), C("blocked")));
        Expect("api flat queued", L("pending") + L("queued"), C("queued"));
        Expect("api error", 0, C("error"));

        if (results is { } rows)
        {
            Expect("result rows", tests, rows.Rows);
            Expect("distinct tests in results", tests, rows.DistinctTests);
            Expect("passed rows", passing, rows.Verdicts.GetValueOrDefault("passed"));
            Expect("failed rows", failing, rows.Verdicts.GetValueOrDefault("failed"));
        }
        return problems;
    }
}
