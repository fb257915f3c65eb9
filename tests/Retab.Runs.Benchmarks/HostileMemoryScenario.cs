using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Retab.Runs.Testing.Hostile;

namespace Retab.Runs.Benchmarks;

/// <summary>
/// <c>hostile-memory</c> (issue 12): the real standalone host as an OS process, warmed up, its resident memory read
/// after a full collection forced from outside; then <c>--count</c> (1,000) requests of the hostile corpus with a few
/// in flight, and its resident memory read again the same way. Target: after the corpus, RSS within 2× of idle.
/// </summary>
public static class HostileMemoryScenario
{
    /// <summary>A few clients at once, as an attacker with a handful of connections; enough for the 8 MiB bodies to overlap.</summary>
    private const int InFlight = 4;

    private const int WarmUpRunTests = 10;

    /// <summary>
    /// How long after the forced collection RSS is read, for idle and after the corpus alike. The GC gives freed memory
    /// back to the OS a step at a time after a collection, not at its end; RSS is also sampled each second of the wait.
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan GcTimeout = TimeSpan.FromSeconds(30);

    public static async Task<ScenarioReport> RunAsync(BenchOptions options)
    {
        var report = new ScenarioReport("hostile-memory");
        var count = options.Count ?? 1_000;
        string ownerKey = NewApiKey(), neighbourKey = NewApiKey();
        var settings = new Dictionary<string, string>
        {
            ["Auth:ApiKeys:0:Key"] = ownerKey,
            ["Auth:ApiKeys:0:OrganizationId"] = "org_victim",
            ["Auth:ApiKeys:1:Key"] = neighbourKey,
            ["Auth:ApiKeys:1:OrganizationId"] = "org_neighbour",
            // The corpus is sent as fast as the host answers: the per-key limiter would answer 429 instead of the rules measured.
            ["Limits:RequestsPerSecondPerKey"] = "0",
        };
        foreach (var (key, value) in options.ExtraSettings)
            settings[key] = value;

        Log("starting the standalone host as its own process");
        await using var host = await StandaloneProcess.StartAsync(settings, TimeSpan.FromSeconds(90));
        report.Settings["hostile_requests"] = count;
        report.Settings["in_flight"] = InFlight;
        report.Settings["standalone"] = host.Dll;
        report.Settings["gc_settings"] = GcSettings(host.RuntimeConfigPath);
        report.Settings["settle_s"] = Settle.TotalSeconds;

        using var ownerHttp = Client(host.Address, ownerKey);
        using var neighbourHttp = Client(host.Address, neighbourKey);
        using var hostileHttp = Client(host.Address, key: null);
        var owner = new BenchApi(ownerHttp);
        var targets = await HostileVictim.ArrangeAsync(owner);
        var warmUp = await HostileVictim.WarmUpAsync(owner, new BenchApi(neighbourHttp), targets, WarmUpRunTests);
        if (warmUp != "completed")
            report.Problem($"warm-up run of {WarmUpRunTests} tests ended {warmUp}");
        var corpus = HostileCorpus.Build(targets);
        report.Settings["corpus_size"] = corpus.Count;

        Log("idle: full collection, then resident memory");
        var idle = await MeasureAfterCollectionAsync(host.ProcessId);
        var peakReset = ProcessMemory.ResetPeak(host.ProcessId);

        Log($"sending {count:N0} hostile requests ({corpus.Count} distinct), {InFlight} in flight");
        var clock = Stopwatch.StartNew();
        var answers = await SendAsync(hostileHttp, HostileCorpus.Cycle(corpus, count), ownerKey, neighbourKey);
        var corpusSeconds = clock.Elapsed.TotalSeconds;
        var rssAtEnd = ProcessMemory.CurrentBytes(host.ProcessId);
        var peak = ProcessMemory.PeakBytes(host.ProcessId);

        Log("after the corpus: full collection, then resident memory");
        var after = await MeasureAfterCollectionAsync(host.ProcessId);
        if (host.HasExited)
            report.Problem($"the standalone host exited:\n{host.Tail()}");

        var ratio = (double)after.RssBytes / idle.RssBytes;
        report.Add("idle RSS (after GC)", Mib(idle.RssBytes), "MiB", Describe(idle));
        report.Add("RSS at the end of the corpus", Mib(rssAtEnd), "MiB", "before any forced collection");
        report.Add("RSS after corpus (after GC)", Mib(after.RssBytes), "MiB", Describe(after));
        report.Add("after / idle", ratio, "x");
        report.Add("peak RSS during the corpus", Mib(peak), "MiB", peakReset ? "VmHWM, reset after the idle reading" : "VmHWM since start (could not reset it)");
        report.Add("hostile requests", answers.Sent, "requests", $"{answers.Sent / corpusSeconds:0} requests/s, {corpusSeconds:0.0} s");
        report.Add("5xx answers", answers.ServerErrors.Count, "answers");
        report.Add("transport errors", answers.TransportErrors.Count, "requests", "no HTTP answer at all");
        report.Details["status_codes"] = answers.Histogram;
        report.Details["rss_after_gc_idle_samples_mib"] = idle.SamplesMib;
        report.Details["rss_after_gc_after_corpus_samples_mib"] = after.SamplesMib;
        report.Notes.Add("status codes: " + string.Join(", ", answers.Histogram.Select(h => $"{h.Key}×{h.Value}")));
        foreach (var error in answers.ServerErrors.Concat(answers.TransportErrors).Take(20))
            report.Problem(error);

        report.Target("RSS after corpus vs idle (after GC)", "<= 2x", $"{ratio:0.00}x ({Mib(idle.RssBytes):0} -> {Mib(after.RssBytes):0} MiB)", ratio <= 2);
        report.Target("5xx answers to the hostile corpus", "none", answers.ServerErrors.Count.ToString(), answers.ServerErrors.Count == 0);
        return report;
    }

    /// <summary>Resident memory after a collection confirmed by the runtime's events, read after <see cref="Settle"/>.</summary>
    private static async Task<AfterCollection> MeasureAfterCollectionAsync(int processId)
    {
        var gc = await InducedGc.CollectAsync(processId, GcTimeout);
        var samples = new List<double> { Mib(ProcessMemory.CurrentBytes(processId)) };
        for (var waited = TimeSpan.Zero; waited < Settle; waited += TimeSpan.FromSeconds(1))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            samples.Add(Mib(ProcessMemory.CurrentBytes(processId)));
        }
        var rss = ProcessMemory.CurrentBytes(processId) ?? throw new InvalidOperationException($"cannot read /proc/{processId}/status");
        return new AfterCollection(gc, rss, samples);
    }

    private sealed record AfterCollection(InducedCollection Gc, long RssBytes, List<double> SamplesMib);

    private sealed record Answers(int Sent, SortedDictionary<string, int> Histogram, List<string> ServerErrors, List<string> TransportErrors);

    private static async Task<Answers> SendAsync(HttpClient http, IEnumerable<HostileRequest> requests, string ownerKey, string neighbourKey)
    {
        var histogram = new ConcurrentDictionary<string, int>();
        var serverErrors = new ConcurrentQueue<string>();
        var transportErrors = new ConcurrentQueue<string>();
        var sent = 0;
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (request, token) =>
        {
            Interlocked.Increment(ref sent);
            using var message = request.ToMessage(ownerKey, neighbourKey);
            try
            {
                using var response = await http.SendAsync(message, token);
                var body = await response.Content.ReadAsStringAsync(token);
                var status = (int)response.StatusCode;
                histogram.AddOrUpdate(status.ToString(), 1, (_, n) => n + 1);
                if (status >= 500)
                    serverErrors.Enqueue($"{request}: {status} {(body.Length > 300 ? body[..300] + "…" : body)}");
            }
            catch (HttpRequestException error)
            {
                histogram.AddOrUpdate("no answer", 1, (_, n) => n + 1);
                transportErrors.Enqueue($"{request}: {error.Message}");
            }
        });
        return new Answers(sent, new SortedDictionary<string, int>(histogram), serverErrors.ToList(), transportErrors.ToList());
    }

    private static HttpClient Client(Uri address, string? key)
    {
        var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        if (key is not null)
            http.DefaultRequestHeaders.Add("Api-Key", key);
        return http;
    }

    /// <summary>A fresh key per run: 43 random URL-safe characters after a prefix, well past any minimum length or entropy rule.</summary>
    private static string NewApiKey() => "rk_bench_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The <c>System.GC.*</c> properties of the host's runtimeconfig.json (none: the runtime's defaults).</summary>
    private static string GcSettings(string runtimeConfig)
    {
        if (!File.Exists(runtimeConfig))
            return "(no runtimeconfig.json)";
        var properties = JsonNode.Parse(File.ReadAllText(runtimeConfig))?["runtimeOptions"]?["configProperties"]?.AsObject();
        var gc = properties?.Where(p => p.Key.StartsWith("System.GC.", StringComparison.Ordinal)).Select(p => $"{p.Key[10..]}={p.Value}").ToList() ?? [];
        return gc.Count == 0 ? "(runtime defaults)" : string.Join(" ", gc);
    }

    private static string Describe(AfterCollection measured) =>
        $"GC #{measured.Gc.GcNumber} gen {measured.Gc.Generation} {measured.Gc.Reason} {measured.Gc.Type}, {measured.Gc.Heaps} GC heap(s), " +
        $"managed heap after it {Mib(measured.Gc.HeapBytesAfter):0.0} MiB (LOH {Mib(measured.Gc.LohBytesAfter):0.0}); read {Settle.TotalSeconds:0} s later";

    private static double Mib(long? bytes) => bytes is { } b ? b / 1024.0 / 1024.0 : double.NaN;

    private static void Log(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
}
