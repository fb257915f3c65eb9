using Retab.Runs.Integration.Tests.Infrastructure;

namespace Retab.Runs.Integration.Tests.Faults;

/// <summary>The sizes, bounds and stacks the fault scenarios share.</summary>
public static class FaultSettings
{
    /// <summary>Tests per run: enough that a fault lands in the middle of the fan-out, fan-in and window refills.</summary>
    public const int TestsPerRun = 2000;

    public const string WorkerA = "fault-worker-a";
    public const string WorkerB = "fault-worker-b";
    public const string WorkerC = "fault-worker-c";

    /// <summary>
    /// An execution deadline far above <see cref="RecoveryBound"/>: a run that only finishes because the sweeper took
    /// it up again (after a whole deadline) misses the bound and fails the scenario.
    /// </summary>
    public static readonly TimeSpan LongDeadline = TimeSpan.FromSeconds(180);

    /// <summary>
    /// How long a run may take to finish once its fault is over: several times what the rest of a run takes on a busy
    /// two-core machine, yet a minute short of <see cref="LongDeadline"/>.
    /// </summary>
    public static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Two workers, and an orchestrator whose sweeper wakes every <paramref name="sweepInterval"/> and gives each test
    /// <paramref name="deadline"/>; <paramref name="worker"/> and <paramref name="orchestrator"/> settings on top.
    /// </summary>
    public static StackSettings TwoWorkers(
        TimeSpan deadline, TimeSpan sweepInterval, IReadOnlyDictionary<string, string>? worker = null, IReadOnlyDictionary<string, string>? orchestrator = null)
    {
        var orchestratorSettings = new Dictionary<string, string>(orchestrator ?? new Dictionary<string, string>())
        {
            ["Orchestrator:ExecutionDeadline"] = deadline.ToString("c"),
            ["Orchestrator:SweepInterval"] = sweepInterval.ToString("c"),
        };
        return new StackSettings([WorkerA, WorkerB]) { Orchestrator = orchestratorSettings, Worker = worker ?? new Dictionary<string, string>() };
    }

    /// <summary>Worker settings for the model-backed workloads: the loopback model server, and few tests in flight per worker.</summary>
    public static Dictionary<string, string> ModelWorker(string baseUrl, int concurrency) => new()
    {
        ["Models:BaseUrl"] = baseUrl,
        ["Models:Default"] = "stub-model",
        ["Worker:ConcurrencyLimit"] = concurrency.ToString(),
    };
}
