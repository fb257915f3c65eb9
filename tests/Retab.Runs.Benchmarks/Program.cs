using System.Diagnostics;
using Retab.Runs.Benchmarks;

// Benchmarks of issue 5: see BenchOptions.Usage (or --help).
if (args is [ServiceProcess.ServeGatewayOrchestrator, ..])
    return await ServeGatewayOrchestratorAsync();

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception error) when (error is ArgumentException or UriFormatException or FormatException)
{
    Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

// MassTransit 8.5 reports usage telemetry to an outside host by default; benchmarks talk to 127.0.0.1 only.
// Process-wide here (every in-process bus); service processes get the same variable (ServiceProcess.Start).
Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", "false");

// Child processes are stopped by their PID whatever happens (Ctrl+C, exception, normal exit).
AppDomain.CurrentDomain.ProcessExit += (_, _) => ServiceProcess.KillAllStarted();
Console.CancelKeyPress += (_, _) => ServiceProcess.KillAllStarted();

#if DEBUG
Console.Error.WriteLine("warning: this is a Debug build; figures are only meaningful with -c Release");
#endif

ServiceHost.ExecutionDeadline = options.ExecutionDeadline.ToString("c");
ServiceHost.ExtraSettings = options.ExtraSettings;
var broker = new Broker(options.RabbitMq, options.ManagementUri);
var needsBroker = !BenchOptions.BrokerlessScenarios.Contains(options.Scenario);
string? brokerVersion = null;
if (needsBroker)
{
    try
    {
        brokerVersion = await broker.VersionAsync();
    }
    catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
    {
        // deploy/rabbitmq/local-broker.sh may have put the management API on another port; it writes the URL down.
        var written = Path.Combine(Environment.GetEnvironmentVariable("RETAB_RABBITMQ_DIR") is { Length: > 0 } dir ? dir : "/tmp/retab-runs-rabbitmq", "management-url");
        if (options.Management is null && File.Exists(written) && Uri.TryCreate(File.ReadAllText(written).Trim(), UriKind.Absolute, out var local))
        {
            broker = new Broker(options.RabbitMq, local);
            try
            {
                brokerVersion = await broker.VersionAsync();
            }
            catch (Exception again) when (again is HttpRequestException or TaskCanceledException)
            {
                error = again;
            }
        }
        if (brokerVersion is null)
        {
            Console.Error.WriteLine($"The RabbitMQ management API at {broker.ManagementUri} does not answer ({error.Message}). " +
                                    $"Start the broker (bash deploy/rabbitmq/local-broker.sh start) or pass --rabbitmq/--management.");
            return 3;
        }
    }
    Console.WriteLine($"broker: {broker.Redacted(options.RabbitMq)} ({brokerVersion}), management {broker.ManagementUri}");
}

var scenarios = options.Scenario == "all"
    ? ["broker-baseline", "throughput", "bus-overhead", "latency", "scale", "concurrency", "embedded", "model-latency", "hostile-memory"]
    : new[] { options.Scenario };
var reports = new List<ScenarioReport>();
BaselineResult? baseline = null;
var failed = false;
foreach (var scenario in scenarios)
{
    var clock = Stopwatch.StartNew();
    Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] scenario {scenario}");
    ScenarioReport report;
    try
    {
        report = scenario switch
        {
            "broker-baseline" => await RunBaselineAsync(),
            "throughput" => await Scenarios.ThroughputAsync(broker, options, baseline),
            "bus-overhead" => await BusOverheadScenario.RunAsync(broker, options, baseline),
            "latency" => await Scenarios.LatencyAsync(broker, options),
            "scale" => await Scenarios.ScaleAsync(broker, options),
            "concurrency" => await Scenarios.ConcurrencyAsync(broker, options),
            "embedded" => await Scenarios.EmbeddedAsync(options),
            "model-latency" => await ModelLatencyScenario.RunAsync(broker, options),
            "hostile-memory" => await HostileMemoryScenario.RunAsync(options),
            _ => throw new ArgumentException(scenario),
        };
    }
    catch (Exception error)
    {
        Console.Error.WriteLine($"scenario {scenario} failed: {error}");
        failed = true;
        continue;
    }
    finally
    {
        ServiceProcess.KillAllStarted();
    }
    report.FinishedAt = DateTimeOffset.UtcNow;
    report.MachineAtEnd = MachineInfo.Now();
    report.Settings["broker"] = BenchOptions.BrokerlessScenarios.Contains(scenario) ? "(none: in-memory bus)" : brokerVersion;
    report.Settings["duration_s"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
    report.Settings["execution_deadline"] = ServiceHost.ExecutionDeadline;
    foreach (var (key, value) in options.ExtraSettings)
        report.Settings[key] = value;
    report.Print(Console.Out);
    Console.WriteLine($"results: {report.Save(options.OutputFolder)}");
    reports.Add(report);
    failed |= !report.CountsExact;
}

if (reports.Count > 1)
{
    Console.WriteLine();
    Console.WriteLine("== summary ==");
    Table.Write(Console.Out, ["scenario", "target", "required", "measured", "met"],
        reports.SelectMany(r => r.Targets.Select(t => new[] { r.Scenario, t.Name, t.Target, t.Measured, t.Met ? "yes" : "NO" })).ToList());
}
// Missed targets are findings, not failures; broken counts or a crashed scenario are.
return failed ? 1 : 0;

// The scale scenario's gateway+orchestrator process: configuration from environment variables (set by the parent),
// "LISTENING <address>" on stdout once Kestrel listens, then serve until killed by the parent (or stdin closes).
static async Task<int> ServeGatewayOrchestratorAsync()
{
    Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", "false");
    await using var host = await ServiceHost.StartGatewayOrchestratorAsync(new Dictionary<string, string?>(), verbose: false, new MessageCounter());
    Console.WriteLine($"{ServiceProcess.ListeningPrefix}{host.Address}");
    await Console.In.ReadToEndAsync();
    return 0;
}

async Task<ScenarioReport> RunBaselineAsync()
{
    var report = await BrokerBaseline.RunScenarioAsync(broker, options);
    baseline = (BaselineResult?)report.Details.GetValueOrDefault("baseline_result");
    return report;
}
