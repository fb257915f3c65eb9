using System.Globalization;

namespace Retab.Runs.Benchmarks;

/// <summary>Command line: <c>&lt;scenario&gt; [--option value | --option=value | --flag]</c>. Every option has a default.</summary>
public sealed class BenchOptions
{
    public const string RabbitMqVariable = "RETAB_RUNS_RABBITMQ_URI";
    public const string ManagementVariable = "RETAB_RUNS_RABBITMQ_MANAGEMENT_URI";
    public const string DefaultRabbitMq = "amqp://guest:guest@127.0.0.1:5672/";

    public static readonly string[] Scenarios = ["broker-baseline", "throughput", "bus-overhead", "latency", "scale", "concurrency", "embedded", "model-latency", "hostile-memory", "all"];

    /// <summary>Scenarios on the in-memory bus: run alone, they need no broker (nor its management API).</summary>
    public static readonly string[] BrokerlessScenarios = ["embedded", "hostile-memory"];

    public string Scenario { get; private set; } = "";

    /// <summary>Root AMQP URI of the broker (its virtual host is replaced by a private one per scenario).</summary>
    public Uri RabbitMq { get; private set; } = new(DefaultRabbitMq);

    /// <summary>Management API base URL; default http://&lt;amqp host&gt;:15672/ with the AMQP credentials.</summary>
    public Uri? Management { get; private set; }

    /// <summary>Tests per run (throughput, embedded: 10,000; concurrency: 1,000); hostile-memory: hostile requests (1,000).</summary>
    public int? Count { get; private set; }

    public int BaselineCount { get; private set; } = 50_000;
    public int MessageBytes { get; private set; } = 300;

    /// <summary>
    /// Baseline publishes awaited together. 500 measures what the broker can move; small windows show what a message
    /// costs the broker when messages trickle in, as they do from services that publish one per consumed message.
    /// </summary>
    public int ConfirmWindow { get; private set; } = 500;

    /// <summary><c>quorum</c> (what the services' work queues are) or <c>classic</c>.</summary>
    public string QueueType { get; private set; } = "quorum";

    public int Workers { get; private set; } = 1;
    public int[] Sizes { get; private set; } = [1_000, 10_000, 100_000];
    public int[] Concurrency { get; private set; } = [1, 8, 64];
    public int LatencyRuns { get; private set; } = 200;
    public int Warmup { get; private set; } = 10;

    /// <summary>
    /// Tests of the untimed warm-up run each scale stack does first (JIT tiering, connections, topology); throughput
    /// and embedded warm up with an untimed run of their full size instead.
    /// </summary>
    public int WarmupTests { get; private set; } = 500;
    public int IoWaitMs { get; private set; } = 100;
    public int ModelLatencyMs { get; private set; } = 200;

    /// <summary>Scale: run every service as a host in this process instead of OS processes.</summary>
    public bool InProcessWorkers { get; private set; }

    public string? WorkerDll { get; private set; }
    public int CreateParallelism { get; private set; } = 16;

    /// <summary>Results are listed through the API (every page) and counted for runs up to this size.</summary>
    public int VerifyResultsUpTo { get; private set; } = 20_000;

    public int? TimeoutSeconds { get; private set; }
    public string OutputFolder { get; private set; } = "BenchmarkResults";
    public bool Verbose { get; private set; }

    /// <summary>latency: listen to every span of the run path and report each operation's median duration (tracing costs a little).</summary>
    public bool Spans { get; private set; }

    /// <summary>Orchestrator:ExecutionDeadline of the benchmark stacks (the service default, 2 minutes, is too short for long queues).</summary>
    public TimeSpan ExecutionDeadline { get; private set; } = TimeSpan.FromHours(1);

    /// <summary><c>--set Key=Value</c> (repeatable): extra configuration for every service host and worker process, e.g. <c>Orchestrator:ResultBatchSize=500</c>.</summary>
    public Dictionary<string, string> ExtraSettings { get; } = new(StringComparer.OrdinalIgnoreCase);
    public bool Help { get; private set; }

    public TimeSpan RunTimeout(int tests) =>
        TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromSeconds(Math.Max(180, 60 + tests / 50.0));

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        var rabbit = Environment.GetEnvironmentVariable(RabbitMqVariable);
        if (!string.IsNullOrWhiteSpace(rabbit))
            options.RabbitMq = new Uri(rabbit);
        var management = Environment.GetEnvironmentVariable(ManagementVariable);
        if (!string.IsNullOrWhiteSpace(management))
            options.Management = new Uri(management);

        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (options.Scenario.Length > 0)
                    throw new ArgumentException($"Unexpected argument '{arg}' (scenario already '{options.Scenario}').");
                options.Scenario = arg.ToLowerInvariant();
                continue;
            }
            var name = arg[2..];
            string? value = null;
            if (name.IndexOf('=') is var eq and > 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            string Value() => value ?? (i + 1 < args.Length ? args[++i] : throw new ArgumentException($"--{name} needs a value."));
            switch (name)
            {
                case "help": options.Help = true; break;
                case "verbose": options.Verbose = true; break;
                case "spans": options.Spans = true; break;
                case "in-process":
                case "in-process-workers": options.InProcessWorkers = true; break;
                case "rabbitmq": options.RabbitMq = new Uri(Value()); break;
                case "management": options.Management = new Uri(Value()); break;
                case "count": options.Count = Positive(name, Value()); break;
                case "baseline-count": options.BaselineCount = Positive(name, Value()); break;
                case "message-bytes": options.MessageBytes = Positive(name, Value()); break;
                case "confirm-window": options.ConfirmWindow = Positive(name, Value()); break;
                case "queue-type":
                    options.QueueType = Value().ToLowerInvariant();
                    if (options.QueueType is not ("quorum" or "classic"))
                        throw new ArgumentException("--queue-type is quorum or classic.");
                    break;
                case "workers": options.Workers = Positive(name, Value()); break;
                case "sizes": options.Sizes = List(name, Value()); break;
                case "concurrency": options.Concurrency = List(name, Value()); break;
                case "runs": options.LatencyRuns = Positive(name, Value()); break;
                case "warmup-tests": options.WarmupTests = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "warmup": options.Warmup = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "io-wait-ms": options.IoWaitMs = Positive(name, Value()); break;
                case "model-latency-ms": options.ModelLatencyMs = Positive(name, Value()); break;
                case "worker-dll": options.WorkerDll = Value(); break;
                case "create-parallelism": options.CreateParallelism = Positive(name, Value()); break;
                case "verify-results-up-to": options.VerifyResultsUpTo = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "timeout-seconds": options.TimeoutSeconds = Positive(name, Value()); break;
                case "output": options.OutputFolder = Value(); break;
                case "set":
                    var pair = Value();
                    var equals = pair.IndexOf('=');
                    if (equals <= 0)
                        throw new ArgumentException($"--set needs Key=Value (configuration key with ':' separators), got '{pair}'.");
                    options.ExtraSettings[pair[..equals]] = pair[(equals + 1)..];
                    break;
                case "execution-deadline": options.ExecutionDeadline = TimeSpan.Parse(Value(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option --{name}. Try --help.");
            }
        }
        if (!options.Help && !Scenarios.Contains(options.Scenario))
            throw new ArgumentException($"Name a scenario: {string.Join(", ", Scenarios)}. Try --help.");
        return options;
    }

    public Uri ManagementUri => Management ?? new Uri($"http://{RabbitMq.Host}:15672/");

    public static string Usage => """
        Retab Runs benchmarks (issue 5).

          dotnet run -c Release --project tests/Retab.Runs.Benchmarks -- <scenario> [options]

        Scenarios:
          broker-baseline  raw RabbitMQ.Client publish (confirms, persistent) -> consume, messages/s
          throughput       one run of --count (10,000) function tests over RabbitMQ, gateway -> TestRunCompleted
          bus-overhead     --count (20,000) execution messages through the service's MassTransit bus to an idle consumer: CPU per message vs raw RabbitMQ.Client
                           (runs broker-baseline first; ratio to baseline / messages-per-test)
          latency          --runs (200) sequential single-test runs: p50/p95/p99 POST -> TestRunCompleted
          scale            runs of --sizes (1000,10000,100000), services as OS processes: wall time, peak working set
                           of each, largest/previous ratio
          concurrency      --count (1,000) tests whose block waits --io-wait-ms (100) at worker --concurrency (1,8,64)
          embedded         throughput in the standalone composition (in-memory bus + LiteDB) vs a plain execution loop
          model-latency    --count (1,000) extract tests against a loopback model server answering after --model-latency-ms
                           (200), 2 workers with Models:MaxConcurrency 64: speedup over serial, model calls per test
          hostile-memory   the standalone host as its own process: RSS after a forced GC when idle and after --count
                           (1,000) hostile-corpus requests, 4 in flight; no broker needed
          all              everything with defaults (options still apply)

        Options:
          --rabbitmq URI             broker (env RETAB_RUNS_RABBITMQ_URI; default amqp://guest:guest@127.0.0.1:5672/)
          --management URL           management API (env RETAB_RUNS_RABBITMQ_MANAGEMENT_URI; default http://<host>:15672/)
          --count N                  tests per run (throughput/embedded 10000, concurrency 1000); hostile-memory: requests (1000)
          --baseline-count N         baseline messages (50000)      --message-bytes N   baseline body size (300)
          --queue-type quorum|classic  baseline queue type (quorum, like the services' work queues)
          --confirm-window N         baseline publishes awaited together (500)
          --workers N                worker hosts/processes (1)      --in-process          scale: services as hosts here, not processes
          --sizes a,b,c              scale sizes                     --concurrency a,b,c   concurrency limits
          --runs N                   latency runs (200)              --warmup N            latency warm-up runs (10)
          --warmup-tests N           scale: tests of the untimed warm-up run of each stack (500; 0 = none)
          --model-latency-ms N       model-latency: model answer delay (200)
          --io-wait-ms N             concurrency: block wait (100)   --create-parallelism N  parallel test POSTs (16)
          --verify-results-up-to N   list every result row through the API for runs up to N tests (20000)
          --timeout-seconds N        per-run timeout                 --worker-dll PATH     Retab.Runs.Worker.dll for scale
          --execution-deadline T     Orchestrator:ExecutionDeadline of the stacks (01:00:00; service default 00:02:00)
          --set Key=Value            extra service configuration, repeatable (e.g. --set Orchestrator:ResultBatchSize=500)
          --output DIR               JSON results folder (BenchmarkResults)   --verbose   service logs at Information
          --spans                    latency: the median duration of every span on the run path (tracing on)
        """;

    private static int Positive(string name, string value) =>
        int.TryParse(value.Replace("_", "").Replace(",", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"--{name} needs a positive integer, got '{value}'.");

    private static int[] List(string name, string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => Positive(name, v)).ToArray() is { Length: > 0 } list
            ? list
            : throw new ArgumentException($"--{name} needs a comma-separated list.");
}
