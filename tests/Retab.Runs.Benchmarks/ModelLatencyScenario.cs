using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Retab.Runs.Testing.ModelServer;

namespace Retab.Runs.Benchmarks;

/// <summary>
/// <c>model-latency</c>: extract tests against the loopback model server answering after a fixed latency, over
/// RabbitMQ with worker hosts that each allow <see cref="ModelConcurrency"/> model calls at once. The serial time is
/// measured in the same run (one-test runs, one after another); the speedup is serial time × tests / wall time. Every
/// test makes exactly one model call (no consensus), which the server's request count checks.
/// </summary>
public static partial class ModelLatencyScenario
{
    private const int ModelConcurrency = 64;
    private const int Workers = 2;
    private const int SerialSamples = 5;

    private static readonly JsonObject ExtractConfig = new()
    {
        ["json_schema"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["v"] = new JsonObject { ["type"] = "integer" } },
            ["required"] = new JsonArray("v"),
        },
        ["instructions"] = "Return the input's i as v.",
    };

    public static async Task<ScenarioReport> RunAsync(Broker broker, BenchOptions options)
    {
        var report = new ScenarioReport("model-latency");
        var tests = options.Count ?? 1_000;
        var latency = TimeSpan.FromMilliseconds(options.ModelLatencyMs);
        // Both workers' calls may be in flight at once: the organization's window must not be the bound measured here.
        var window = ModelConcurrency * Workers;
        report.Settings["tests"] = tests;
        report.Settings["model_latency_ms"] = options.ModelLatencyMs;
        report.Settings["worker_hosts"] = Workers;
        report.Settings["Models:MaxConcurrency"] = ModelConcurrency;
        report.Settings["Worker:ConcurrencyLimit"] = ModelConcurrency;
        report.Settings["Orchestrator:MaxTestsInFlightPerOrganization"] = window;

        await using var model = await LoopbackModelServer.StartAsync();
        model.Chat = request => ModelAnswer.Json(new { v = IndexIn(request.Text) }).After(latency);

        var workerSettings = new Dictionary<string, string>
        {
            ["Models:BaseUrl"] = model.BaseUrl,
            ["Models:ApiKey"] = "bench-model-key",
            ["Models:Default"] = "bench-model",
            ["Models:MaxConcurrency"] = ModelConcurrency.ToString(),
        };
        Log($"starting gateway+orchestrator host and {Workers} worker hosts; model server at {model.BaseUrl} answering after {latency.TotalMilliseconds:0} ms");
        await using var stack = await DistributedStack.StartAsync(broker, options, "model-latency",
            new WorkerPlan(Workers, AsProcesses: false, ModelConcurrency, ModelConcurrency) { Settings = workerSettings },
            serviceSettings: new Dictionary<string, string> { ["Orchestrator:MaxTestsInFlightPerOrganization"] = window.ToString() });
        var api = stack.Api();

        var workflowId = await api.CreateWorkflowAsync("bench model-latency", Workload.BlockId, "extract", (JsonObject)ExtractConfig.DeepClone());
        var testIds = await api.CreateTestsAsync(workflowId, Workload.BlockId, tests, options.CreateParallelism, Log);

        Log($"serial time: {SerialSamples} one-test runs, one after another");
        var serial = new List<double>();
        var problems = 0;
        for (var i = 0; i < SerialSamples + 1; i++)
        {
            // Test 0, so the one-test run is checked like a run of the workload's first test (it fails on purpose).
            var scope = new JsonObject { ["type"] = "single", ["test_id"] = testIds[0] };
            var one = await RunMeasurement.RunAsync(api, stack.Completions, stack.Counter, workflowId, 1, options, scope);
            problems += one.Problems.Count;
            foreach (var problem in one.Problems)
                report.Problem($"one-test run: {problem}");
            if (i > 0)
                serial.Add(one.Seconds); // the first one warms connections and the JIT
        }
        var serialPerTest = Scenarios.Percentile(serial, 50);

        var callsBefore = model.ChatRequestCount;
        Log($"run of {tests:N0} extract tests");
        var run = await RunMeasurement.RunAsync(api, stack.Completions, stack.Counter, workflowId, tests, options);
        var calls = model.ChatRequestCount - callsBefore;
        foreach (var problem in run.Problems)
            report.Problem(problem);

        var serialTime = serialPerTest * tests;
        var speedup = serialTime / run.Seconds;
        var callsPerTest = (double)calls / tests;
        report.Add("one test alone (p50)", serialPerTest * 1000, "ms", $"POST -> TestRunCompleted, {SerialSamples} runs; model answers after {latency.TotalMilliseconds:0} ms");
        report.Add("serial time", serialTime, "s", $"{tests:N0} × one test alone");
        report.Add("run wall time", run.Seconds, "s", $"{run.TestsPerSecond:0.0} tests/s");
        report.Add("speedup over serial", speedup, "x", $"ideal {Math.Min(window, tests):0}x with {window} calls in flight");
        report.Add("model calls per test", callsPerTest, "calls", $"{calls:N0} chat requests; most in flight at once {model.MaxInFlight}");
        report.Target("speedup over serial", ">= 50x", $"{speedup:0.0}x", speedup >= 50);
        report.Target("model calls per test", "exactly 1", $"{callsPerTest:0.###}", calls == tests);
        report.Target("counts exact", "exact", run.Problems.Count + problems == 0 ? "exact" : $"{run.Problems.Count + problems} discrepancies", run.Problems.Count + problems == 0);
        return report;
    }

    /// <summary>The test's index, from its JSON input <c>{"i": N}</c> as the extract prompt quotes it.</summary>
    private static int IndexIn(string prompt) =>
        InputIndex().Match(prompt) is { Success: true } match ? int.Parse(match.Groups[1].Value) : -1;

    [GeneratedRegex("\"i\"\\s*:\\s*(\\d+)")]
    private static partial Regex InputIndex();

    private static void Log(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
}
