using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Retab.Runs.Benchmarks;

/// <summary>One timed run: POST /v1/workflows/tests/runs → its <c>TestRunCompleted</c> received, then checked.</summary>
public sealed record RunMeasurement(
    string RunId,
    int Tests,
    double Seconds,
    double PostMilliseconds,
    long? ServiceDurationMs,
    MessageCounts Messages,
    List<string> Problems,
    int? ResultRowsListed,
    CpuDelta Cpu)
{
    public double TestsPerSecond => Tests / Seconds;

    public static async Task<RunMeasurement> RunAsync(
        BenchApi api, Completions completions, MessageCounter counter, string workflowId, int tests, BenchOptions options,
        JsonObject? scope = null, bool listResults = true, IReadOnlyList<int>? servicePids = null)
    {
        counter.Reset();
        var cpuBefore = CpuSnapshot.Take(servicePids ?? []);
        var start = Stopwatch.GetTimestamp();
        var created = await api.StartRunAsync(workflowId, scope);
        var posted = Stopwatch.GetTimestamp();
        var runId = created["id"]!.GetValue<string>();
        var completion = await completions.WaitAsync(runId, options.RunTimeout(tests));
        var seconds = Stopwatch.GetElapsedTime(start, completion.ReceivedAt).TotalSeconds;
        var cpu = cpuBefore.To(CpuSnapshot.Take(servicePids ?? []));

        // Untimed from here on: let the last publish confirmations land, then check everything.
        await Task.Delay(200);
        var messages = counter.Snapshot();
        var run = await api.GetRunAsync(runId);
        var results = listResults && tests <= options.VerifyResultsUpTo ? await api.CountResultsAsync(runId) : ((int, int, Dictionary<string, int>)?)null;
        var problems = Workload.Verify(tests, completion, run, results);
        var faults = messages.Faults.Values.Sum() + messages.Published.Where(p => p.Key.StartsWith("Fault<", StringComparison.Ordinal)).Sum(p => p.Value);
        if (faults > 0)
            problems.Add($"{faults} fault(s) on the bus: {string.Join(", ", messages.Faults.Select(f => $"{f.Key}={f.Value}"))}");
        return new RunMeasurement(runId, tests, seconds, Stopwatch.GetElapsedTime(start, posted).TotalMilliseconds,
            run["timing"]?["duration_ms"]?.GetValue<long?>(), messages, problems, results?.Item1, cpu);
    }

    /// <summary>Messages per test type, and their sum over the per-test types divided by the tests.</summary>
    public Dictionary<string, object?> MessageDetail() => new()
    {
        ["published_or_sent"] = Messages.Published.Concat(Messages.Sent).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Sum(p => p.Value)),
        ["consumed"] = Messages.Consumed,
        ["faults"] = Messages.Faults,
        ["per_test_messages"] = Messages.PerTestMessages,
        ["messages_per_test"] = (double)Messages.PerTestMessages / Tests,
        ["all_messages_per_test"] = (double)Messages.AllMessages / Tests,
    };
}
