using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Retab.Runs.Blocks;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Execution;
using Retab.Runs.Core.Runs;
using Retab.Runs.Messaging;

namespace Retab.Runs.Benchmarks;

public static class Scenarios
{
    private const int LoopWarmup = 200;

    private static void Log(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

    // ------------------------------------------------------------------------------------------------------------
    // 2. throughput
    // ------------------------------------------------------------------------------------------------------------

    public static async Task<ScenarioReport> ThroughputAsync(Broker broker, BenchOptions options, BaselineResult? baseline)
    {
        var report = new ScenarioReport("throughput");
        var tests = options.Count ?? 10_000;
        report.Settings["tests"] = tests;
        report.Settings["worker_hosts"] = options.Workers;
        report.Settings["transport"] = "rabbitmq";

        if (baseline is null)
        {
            Log($"broker baseline: {options.BaselineCount:N0} messages");
            baseline = await BrokerBaseline.MeasureAsync(broker, options, report);
        }
        else
            report.Notes.Add("baseline measured earlier in this invocation (scenario broker-baseline)");
        BrokerBaseline.Describe(baseline, report);
        report.Details["baseline"] = baseline;

        Log($"starting gateway+orchestrator host and {options.Workers} worker host(s) on a private virtual host");
        await using var stack = await DistributedStack.StartAsync(broker, options, "throughput", new WorkerPlan(options.Workers, AsProcesses: false));
        var api = stack.Api();

        var (workflowId, creation) = await CreateWorkflowWithTestsAsync(api, tests, options, "throughput");
        report.Add("test creation (HTTP, setup)", tests / creation.TotalSeconds, "tests/s", $"{options.CreateParallelism} requests in flight");

        var run = await RunWarmAsync(report, api, stack.Completions, stack.Counter, workflowId, tests, options);
        Record(report, run);

        var messagesPerTest = (double)run.Messages.PerTestMessages / tests;
        var limit = baseline.MessagesPerSecond / messagesPerTest;
        var ratio = run.TestsPerSecond / limit;
        report.Add("throughput", run.TestsPerSecond, "tests/s", $"{tests:N0} tests, POST run -> TestRunCompleted received");
        report.Add("run wall time", run.Seconds, "s");
        report.Add("messages per test (counted)", messagesPerTest, "msg/test",
            string.Join(" + ", MessageCounts.PerTestTypes.Select(t => $"{t} {(double)run.Messages.PublishedOf(t) / tests:0.##}")));
        report.Add("all bus messages per test", (double)run.Messages.AllMessages / tests, "msg/test", "incl. per-run messages");
        report.Add("broker-bound limit", limit, "tests/s", "baseline msg/s / messages per test");
        report.Add("ratio to broker-bound limit", ratio * 100, "%");
        AddCpu(report, run, "");
        report.Target("throughput vs broker-bound limit", ">= 40 %", $"{ratio * 100:0.0} %", ratio >= 0.40);
        report.Target("counts exact", "exact", run.Problems.Count == 0 ? "exact" : $"{run.Problems.Count} discrepancies", run.Problems.Count == 0);
        return report;
    }

    // ------------------------------------------------------------------------------------------------------------
    // 3. latency
    // ------------------------------------------------------------------------------------------------------------

    public static async Task<ScenarioReport> LatencyAsync(Broker broker, BenchOptions options)
    {
        var report = new ScenarioReport("latency");
        report.Settings["runs"] = options.LatencyRuns;
        report.Settings["warmup_runs"] = options.Warmup;
        report.Settings["worker_hosts"] = options.Workers;
        report.Settings["scope"] = "single";

        Log($"starting gateway+orchestrator host and {options.Workers} worker host(s)");
        await using var stack = await DistributedStack.StartAsync(broker, options, "latency", new WorkerPlan(options.Workers, AsProcesses: false));
        var api = stack.Api();
        var (workflowId, _) = await CreateWorkflowWithTestsAsync(api, 1, options, "latency");
        var testId = (await api.SendAsync(HttpMethod.Get, $"/v1/workflows/tests?workflow_id={workflowId}", null, System.Net.HttpStatusCode.OK))["data"]![0]!["id"]!.GetValue<string>();
        var scope = new JsonObject { ["type"] = "single", ["test_id"] = testId };

        var samples = new List<double>();
        var posts = new List<double>();
        var problems = 0;
        using var spans = options.Spans ? new SpanDurations() : null;
        for (var i = -options.Warmup; i < options.LatencyRuns; i++)
        {
            if (i == 0)
                spans?.Clear();
            var run = await RunMeasurement.RunAsync(api, stack.Completions, stack.Counter, workflowId, 1, options, (JsonObject)scope.DeepClone());
            if (run.Problems.Count > 0)
            {
                problems++;
                if (problems <= 5)
                    report.Problem($"run {run.RunId}: {string.Join("; ", run.Problems)}");
            }
            if (i < 0)
                continue;
            samples.Add(run.Seconds * 1000);
            posts.Add(run.PostMilliseconds);
            if ((i + 1) % 50 == 0)
                Log($"  {i + 1}/{options.LatencyRuns} runs, p50 so far {Percentile(samples, 50):0.0} ms");
        }
        if (problems > 5)
            report.Problem($"... {problems} runs with discrepancies in all");

        var p50 = Percentile(samples, 50);
        report.Add("p50", p50, "ms", "POST run -> TestRunCompleted received");
        report.Add("p95", Percentile(samples, 95), "ms");
        report.Add("p99", Percentile(samples, 99), "ms");
        report.Add("mean", samples.Average(), "ms");
        report.Add("min", samples.Min(), "ms");
        report.Add("max", samples.Max(), "ms");
        report.Add("POST response p50", Percentile(posts, 50), "ms", "201 returned (part of the above)");
        report.Details["latencies_ms"] = samples.Select(s => Math.Round(s, 3)).ToArray();
        report.Details["post_ms"] = posts.Select(s => Math.Round(s, 3)).ToArray();
        spans?.AddTo(report, options.LatencyRuns);
        report.Target("latency p50", "<= 25 ms", $"{p50:0.0} ms", p50 <= 25);
        report.Target("counts exact", "exact (every run)", problems == 0 ? "exact" : $"{problems} runs off", problems == 0);
        return report;
    }

    // ------------------------------------------------------------------------------------------------------------
    // 4. scale
    // ------------------------------------------------------------------------------------------------------------

    public static async Task<ScenarioReport> ScaleAsync(Broker broker, BenchOptions options)
    {
        var report = new ScenarioReport("scale");
        var sizes = options.Sizes.Order().ToArray();
        var asProcesses = !options.InProcessWorkers;
        report.Settings["sizes"] = sizes;
        report.Settings["workers"] = options.Workers;
        report.Settings["services_as"] = asProcesses
            ? "OS processes: gateway+orchestrator (this program, serve-gateway-orchestrator) and worker(s) (dotnet Retab.Runs.Worker.dll)"
            : "hosts in the benchmark process";
        // Issue 18: a 100,000-test run's gateway and orchestrator each peak under 512 MiB (here one process hosts both, so its peak bounds each).
        const long PeakLimit = 512L * 1024 * 1024;

        var rows = new List<Dictionary<string, object?>>();
        var allExact = true;
        long maxPeak = 0;
        foreach (var size in sizes)
        {
            Log($"scale: fresh stack for {size:N0} tests");
            await using var stack = await DistributedStack.StartAsync(broker, options, $"scale{size}",
                new WorkerPlan(options.Workers, AsProcesses: asProcesses), gatewayAsProcess: asProcesses);
            if (stack.WorkerDll is { } dll)
                report.Settings["worker_dll"] = dll;
            var api = stack.Api();
            await WarmUpAsync(api, stack.Completions, stack.Counter, options);
            var (workflowId, creation) = await CreateWorkflowWithTestsAsync(api, size, options, $"scale {size}");

            // Peak working set of each service during the run: VmHWM reset to the current RSS first (clear_refs).
            var services = new List<(string Name, int Pid)>();
            if (stack.GatewayProcess is { } gateway)
                services.Add(("gateway+orchestrator process", gateway.ProcessId));
            else
                services.Add(("benchmark process (gateway+orchestrator+workers+driver)", Environment.ProcessId));
            services.AddRange(stack.WorkerProcesses.Select(w => ($"worker process {w.WorkerId}", w.ProcessId)));
            var setupPeaks = services.ToDictionary(s => s.Name, s => ProcessMemory.PeakBytes(s.Pid));
            var startRss = services.ToDictionary(s => s.Name, s => ProcessMemory.CurrentBytes(s.Pid));
            var reset = services.Aggregate(true, (ok, s) => ProcessMemory.ResetPeak(s.Pid) && ok);

            Log($"run of {size:N0} tests");
            var run = await RunMeasurement.RunAsync(api, stack.Completions, stack.Counter, workflowId, size, options,
                servicePids: stack.ServiceProcessIds);
            report.Notes.Add($"{size:N0} tests: {run.Cpu.Describe(size)}");
            var peaks = services.Select(s => (s.Name, s.Pid, Peak: ProcessMemory.PeakBytes(s.Pid))).ToList();
            allExact &= run.Problems.Count == 0;
            foreach (var problem in run.Problems)
                report.Problem($"{size:N0} tests: {problem}");

            report.Add($"{size:N0}: wall time", run.Seconds, "s", $"{run.TestsPerSecond:0} tests/s");
            foreach (var (name, pid, peak) in peaks)
            {
                maxPeak = Math.Max(maxPeak, peak ?? 0);
                report.Add($"{size:N0}: peak {name}", (peak ?? 0) / 1048576.0, "MiB",
                    $"pid {pid}, VmHWM during the run{(reset ? "" : " (NOT reset: includes setup)")}; RSS at start {ProcessMemory.Mib(startRss[name])}");
            }
            rows.Add(new Dictionary<string, object?>
            {
                ["tests"] = size,
                ["wall_seconds"] = run.Seconds,
                ["tests_per_second"] = run.TestsPerSecond,
                ["service_duration_ms"] = run.ServiceDurationMs,
                ["test_creation_per_second"] = size / creation.TotalSeconds,
                ["peak_reset_before_run"] = reset,
                ["services"] = peaks.Select(p => new
                {
                    name = p.Name,
                    pid = p.Pid,
                    peak_bytes_during_run = p.Peak,
                    rss_bytes_at_run_start = startRss[p.Name],
                    peak_bytes_before_run = setupPeaks[p.Name],
                }).ToArray(),
                ["counts_exact"] = run.Problems.Count == 0,
                ["problems"] = run.Problems,
                ["result_rows_listed"] = run.ResultRowsListed,
                ["messages"] = asProcesses ? null : run.MessageDetail(),
                ["cpu"] = run.Cpu,
            });
        }
        report.Details["runs"] = rows;

        if (sizes.Length >= 2)
        {
            var (small, large) = (sizes[^2], sizes[^1]);
            var ratio = (double)rows[^1]["wall_seconds"]! / (double)rows[^2]["wall_seconds"]!;
            var allowed = 1.1 * large / small;
            report.Add($"wall-time ratio {large:N0}/{small:N0}", ratio, "x", $"linear would be {(double)large / small:0.#}");
            static double CpuOf(Dictionary<string, object?> row) => row["cpu"] is CpuDelta c ? c.Self + c.ServiceProcesses + c.Broker : double.NaN;
            report.Add($"CPU-time ratio {large:N0}/{small:N0}", CpuOf(rows[^1]) / CpuOf(rows[^2]), "x",
                "services + broker CPU seconds: a load-independent cross-check of the wall-time ratio");
            report.Target($"{large:N0}/{small:N0} wall-time ratio", $"<= {allowed:0.#}", $"{ratio:0.00}", ratio <= allowed);
        }
        report.Target("counts exact in every run", "exact", allExact ? "exact" : "discrepancies", allExact);
        report.Target("no service above 512 MiB", "<= 512 MiB", $"max {maxPeak / 1048576.0:0} MiB", maxPeak <= PeakLimit);
        if (!asProcesses)
            report.Notes.Add("services ran inside the benchmark process, so its peak is theirs together (plus the driver's)");
        else
            report.Notes.Add("bus messages are not counted here (the services are other processes); the runs' counts are checked as everywhere");
        return report;
    }

    // ------------------------------------------------------------------------------------------------------------
    // 5. concurrency
    // ------------------------------------------------------------------------------------------------------------

    public static async Task<ScenarioReport> ConcurrencyAsync(Broker broker, BenchOptions options)
    {
        var report = new ScenarioReport("concurrency");
        var tests = options.Count ?? 1_000;
        var wait = TimeSpan.FromMilliseconds(options.IoWaitMs);
        var levels = options.Concurrency.Distinct().Order().ToArray();
        report.Settings["tests"] = tests;
        report.Settings["io_wait_ms"] = options.IoWaitMs;
        report.Settings["concurrency_limits"] = levels;
        report.Settings["worker_hosts"] = 1;

        Log("starting gateway+orchestrator host (workers per concurrency level)");
        await using var stack = await DistributedStack.StartAsync(broker, options, "concurrency", new WorkerPlan(0, AsProcesses: false));
        var api = stack.Api();
        var (workflowId, _) = await CreateWorkflowWithTestsAsync(api, tests, options, "concurrency");

        var seconds = new Dictionary<int, double>();
        var rows = new List<Dictionary<string, object?>>();
        var allExact = true;
        foreach (var level in levels)
        {
            var prefetch = Math.Max(level, 32);
            Log($"worker host with ConcurrencyLimit={level}, PrefetchCount={prefetch}: run of {tests:N0} tests waiting {options.IoWaitMs} ms each");
            await stack.StartWorkersAsync(new WorkerPlan(1, AsProcesses: false, level, prefetch, wait));
            var run = await RunMeasurement.RunAsync(api, stack.Completions, stack.Counter, workflowId, tests, options);
            await stack.StopWorkersAsync();
            seconds[level] = run.Seconds;
            allExact &= run.Problems.Count == 0;
            foreach (var problem in run.Problems)
                report.Problem($"concurrency {level}: {problem}");
            var ideal = Math.Ceiling((double)tests / level) * wait.TotalSeconds;
            report.Add($"concurrency {level}: wall time", run.Seconds, "s", $"{run.TestsPerSecond:0.0} tests/s; pure wait {ideal:0.##} s");
            rows.Add(new Dictionary<string, object?>
            {
                ["concurrency_limit"] = level,
                ["prefetch_count"] = prefetch,
                ["wall_seconds"] = run.Seconds,
                ["tests_per_second"] = run.TestsPerSecond,
                ["pure_wait_seconds"] = ideal,
                ["counts_exact"] = run.Problems.Count == 0,
                ["problems"] = run.Problems,
                ["cpu"] = run.Cpu,
            });
        }
        var lowest = levels[0];
        foreach (var level in levels.Skip(1))
        {
            var speedup = seconds[lowest] / seconds[level];
            report.Add($"speedup {level} over {lowest}", speedup, "x", $"ideal {(double)level / lowest:0.#}x");
            rows.First(r => (int)r["concurrency_limit"]! == level)["speedup"] = speedup;
        }
        report.Details["levels"] = rows;
        if (lowest == 1 && levels.Length > 1)
        {
            var top = levels[^1];
            var speedup = seconds[1] / seconds[top];
            var required = top == 64 ? 40 : 40.0 / 64 * top;
            report.Target($"speedup at concurrency {top}", $">= {required:0.#}x", $"{speedup:0.0}x", speedup >= required);
        }
        report.Target("counts exact in every run", "exact", allExact ? "exact" : "discrepancies", allExact);
        return report;
    }

    // ------------------------------------------------------------------------------------------------------------
    // 6. embedded
    // ------------------------------------------------------------------------------------------------------------

    public static async Task<ScenarioReport> EmbeddedAsync(BenchOptions options)
    {
        var report = new ScenarioReport("embedded");
        var tests = options.Count ?? 10_000;
        report.Settings["tests"] = tests;
        report.Settings["transport"] = "in-memory";
        report.Settings["store"] = "LiteDB (direct)";

        var folder = Path.Combine(Path.GetTempPath(), "retab-runs-bench", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        RunMeasurement run;
        try
        {
            Log("starting the standalone composition (gateway + orchestrator + worker, in-memory bus, LiteDB)");
            var counter = new MessageCounter();
            var completions = new Completions();
            await using (var host = await ServiceHost.StartEmbeddedAsync(ServiceHost.CommonSettings(BusOptions.InMemory, null, folder), options.Verbose, counter, completions))
            {
                var api = new BenchApi(host.HttpClient());
                var (workflowId, _) = await CreateWorkflowWithTestsAsync(api, tests, options, "embedded");
                run = await RunWarmAsync(report, api, completions, counter, workflowId, tests, options);
                Record(report, run);
            }
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }

        Log($"plain loop: the same {tests:N0} tests through TestExecution (FunctionBlockExecutor + AssertionEngine), no bus, no store");
        // Twice, keeping the faster: other work on the machine slows a one-thread loop as much as it slows the run,
        // and the faster loop makes the target harder, not easier, to meet.
        var loops = new List<(double Seconds, List<string> Problems, CpuDelta Cpu)>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var loopCpuBefore = CpuSnapshot.Take([]);
            var (seconds, problems) = await PlainLoopAsync(tests);
            loops.Add((seconds, problems, loopCpuBefore.To(CpuSnapshot.Take([]))));
        }
        var (loopSeconds, loopProblems, loopCpu) = loops.MinBy(l => l.Seconds);
        report.Details["plain_loops"] = loops.Select(l => new { seconds = l.Seconds, cpu = l.Cpu }).ToArray();
        loopProblems = loops.SelectMany(l => l.Problems).Distinct().ToList();
        foreach (var problem in loopProblems)
            report.Problem($"plain loop: {problem}");
        var loopRate = tests / loopSeconds;
        var ratio = run.TestsPerSecond / loopRate;
        report.Add("embedded throughput", run.TestsPerSecond, "tests/s", $"{tests:N0} tests, POST run -> TestRunCompleted (in-memory bus)");
        report.Add("embedded wall time", run.Seconds, "s");
        report.Add("messages per test (counted)", (double)run.Messages.PerTestMessages / tests, "msg/test");
        report.Add("plain loop throughput", loopRate, "tests/s", $"sequential, one thread; best of 2 ({string.Join(", ", loops.Select(l => $"{tests / l.Seconds:0}"))})");
        report.Add("plain loop wall time", loopSeconds, "s");
        report.Add("plain loop CPU per test", loopCpu.Self / tests * 1000, "ms", $"incl. {Math.Min(LoopWarmup, tests)} warm-up executions");
        report.Add("CPU-time ratio plain loop / embedded", loopCpu.Self / tests / (run.Cpu.Self / tests) * 100, "%",
            "load-independent cross-check: execution CPU / all CPU per test");
        report.Add("embedded / plain loop", ratio * 100, "%", $"orchestration overhead: {(1 / ratio - 1) * 100:0}% extra time per test");
        AddCpu(report, run, "embedded ");
        report.Target("embedded vs plain loop", ">= 25 %", $"{ratio * 100:0.0} %", ratio >= 0.25);
        report.Target("counts exact", "exact", run.Problems.Count == 0 && loopProblems.Count == 0 ? "exact" : "discrepancies",
            run.Problems.Count == 0 && loopProblems.Count == 0);
        return report;
    }

    /// <summary>The same tests executed one after another with the worker's own execution code, nothing else.</summary>
    public static async Task<(double Seconds, List<string> Problems)> PlainLoopAsync(int tests)
    {
        using var executor = new FunctionBlockExecutor(Options.Create(new FunctionBlockLimits()));
        var execution = new TestExecution([executor], new AssertionEngine());
        var config = new JsonObject { ["code"] = Workload.EchoCode };
        var inputs = new JsonObject[tests];
        var assertions = new Assertion[tests];
        for (var i = 0; i < tests; i++)
        {
            inputs[i] = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = Workload.Input(i) } };
            assertions[i] = new Assertion($"assert_bench{i:D8}", new AssertionTarget("output-json-0", "v"), Workload.Condition(i), null);
        }
        for (var i = 0; i < Math.Min(LoopWarmup, tests); i++)
            await execution.RunAsync("function", new BlockRequest("org_bench", config, inputs[i]), assertions[i], CancellationToken.None);

        var verdicts = new Dictionary<Verdict, int>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < tests; i++)
        {
            var outcome = await execution.RunAsync("function", new BlockRequest("org_bench", config, inputs[i]), assertions[i], CancellationToken.None);
            verdicts[outcome.Verdict] = verdicts.GetValueOrDefault(outcome.Verdict) + 1;
        }
        clock.Stop();
        var problems = new List<string>();
        if (verdicts.GetValueOrDefault(Verdict.Passed) != Workload.Passing(tests) || verdicts.GetValueOrDefault(Verdict.Failed) != Workload.Failing(tests))
            problems.Add($"verdicts {string.Join(", ", verdicts.Select(v => $"{v.Key}={v.Value}"))}, expected passed={Workload.Passing(tests)} failed={Workload.Failing(tests)}");
        return (clock.Elapsed.TotalSeconds, problems);
    }

    // ------------------------------------------------------------------------------------------------------------
    // shared
    // ------------------------------------------------------------------------------------------------------------

    private static async Task<(string WorkflowId, TimeSpan Creation)> CreateWorkflowWithTestsAsync(BenchApi api, int tests, BenchOptions options, string name)
    {
        Log($"creating a workflow and {tests:N0} tests through the HTTP API");
        var clock = Stopwatch.StartNew();
        var workflowId = await api.CreateWorkflowAsync($"bench {name}", Workload.BlockId, Workload.EchoCode);
        await api.CreateTestsAsync(workflowId, Workload.BlockId, tests, options.CreateParallelism, Log);
        return (workflowId, clock.Elapsed);
    }

    /// <summary>
    /// The steady state of services hosted in this process: the same run once untimed (checked like any run), the
    /// JIT left to finish its tiering, then the timed run. A smaller warm-up leaves most hot methods unoptimized:
    /// .NET promotes a method only after enough calls *after* a quiet spell, and a 500-test warm-up left ~2,000
    /// methods to be recompiled during the timed run (a quarter of its CPU). The plain loop it is compared with is
    /// warm too (best of two).
    /// </summary>
    private static async Task<RunMeasurement> RunWarmAsync(
        ScenarioReport report, BenchApi api, Completions completions, MessageCounter counter, string workflowId, int tests, BenchOptions options)
    {
        Log($"untimed first run of the same {tests:N0} tests (warm-up)");
        var cold = await RunMeasurement.RunAsync(api, completions, counter, workflowId, tests, options);
        foreach (var problem in cold.Problems)
            report.Problem($"untimed first run: {problem}");
        var (compiled, waited) = await JitSettling.WaitAsync(quietFor: TimeSpan.FromSeconds(1), atMost: TimeSpan.FromSeconds(60));
        Log($"first run {cold.TestsPerSecond:0} tests/s; JIT settled after {compiled:N0} more methods in {waited.TotalSeconds:0.0} s");
        report.Add("first run (untimed warm-up)", cold.TestsPerSecond, "tests/s", "same tests, cold JIT: not the figure the target is checked on");

        Log($"run of {tests:N0} tests");
        return await RunMeasurement.RunAsync(api, completions, counter, workflowId, tests, options);
    }

    /// <summary>A small run first, so JIT, connections and topology are warm before anything is timed.</summary>
    private static async Task WarmUpAsync(BenchApi api, Completions completions, MessageCounter counter, BenchOptions options)
    {
        if (options.WarmupTests == 0)
            return;
        var (workflowId, _) = await CreateWorkflowWithTestsAsync(api, options.WarmupTests, options, "warm-up");
        var run = await RunMeasurement.RunAsync(api, completions, counter, workflowId, options.WarmupTests, options);
        if (run.Problems.Count > 0)
            throw new InvalidOperationException($"Warm-up run {run.RunId} is off: {string.Join("; ", run.Problems)}");
        Log($"warm-up run of {options.WarmupTests} tests done in {run.Seconds:0.00} s");
    }

    private static void Record(ScenarioReport report, RunMeasurement run)
    {
        foreach (var problem in run.Problems)
            report.Problem(problem);
        report.Details["run"] = new Dictionary<string, object?>
        {
            ["run_id"] = run.RunId,
            ["tests"] = run.Tests,
            ["wall_seconds"] = run.Seconds,
            ["tests_per_second"] = run.TestsPerSecond,
            ["post_ms"] = run.PostMilliseconds,
            ["service_duration_ms"] = run.ServiceDurationMs,
            ["result_rows_listed"] = run.ResultRowsListed,
            ["counts_exact"] = run.Problems.Count == 0,
            ["problems"] = run.Problems,
            ["messages"] = run.MessageDetail(),
            ["cpu"] = run.Cpu,
        };
        report.Notes.Add(run.Cpu.Describe(run.Tests));
    }

    private static void AddCpu(ScenarioReport report, RunMeasurement run, string prefix)
    {
        var cpu = run.Cpu;
        report.Add($"{prefix}service CPU per test", (cpu.Self + cpu.ServiceProcesses) / run.Tests * 1000, "ms", "all service hosts/processes, user+sys");
        report.Add($"{prefix}broker CPU per test", cpu.Broker / run.Tests * 1000, "ms", "beam.smp");
        var cpuPerTest = (cpu.Self + cpu.ServiceProcesses + cpu.Broker) / run.Tests;
        report.Add($"{prefix}CPU-bound ceiling, idle machine", Environment.ProcessorCount / cpuPerTest, "tests/s",
            $"{Environment.ProcessorCount} cores / {cpuPerTest * 1000:0.00} ms CPU per test (services + broker): what the machine could do with no other work");
        report.Add($"{prefix}machine busy during run", cpu.MachineBusyShare * 100, "%",
            $"of {Environment.ProcessorCount} cores; other work (not ours, not the broker) {cpu.Others / Math.Max(cpu.WallSeconds, 1e-9) * 100 / Environment.ProcessorCount:0}% of the machine");
    }

    public static double Percentile(List<double> samples, double percentile)
    {
        if (samples.Count == 0)
            return double.NaN;
        var sorted = samples.Order().ToArray();
        var rank = percentile / 100 * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
