using System.Diagnostics.Metrics;

namespace Retab.Runs.Core.Observability;

/// <summary>
/// The instruments of the <see cref="RunsDiagnostics.Name"/> meter, named and united after OpenTelemetry's semantic
/// conventions (Prometheus shows them as <c>retab_runs_…</c>). Created through <see cref="IMeterFactory"/> so each host
/// (and each test host) owns its meter; with no listener attached, recording costs next to nothing.
/// Tags are low-cardinality only: status, trigger, verdict, block type, error code; never an id.
/// </summary>
public sealed class RunsMetrics
{
    public RunsMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(RunsDiagnostics.Name);
        RunsCreated = Meter.CreateCounter<long>("retab.runs.runs.created", "{run}", "Runs accepted, by trigger.");
        RunsEnded = Meter.CreateCounter<long>("retab.runs.runs.ended", "{run}", "Runs that reached a final status, by status and trigger.");
        RunDuration = Meter.CreateHistogram<double>("retab.runs.run.duration", "s", "From a run's creation to its final status.");
        TestsFinished = Meter.CreateCounter<long>("retab.runs.tests.finished", "{test}", "Tests that ended, by verdict (or error/cancelled) and block type.");
        TestExecutionDuration = Meter.CreateHistogram<double>("retab.runs.test.execution.duration", "s", "A worker's execution of one test: block and assertions.");
        TestQueueWait = Meter.CreateHistogram<double>("retab.runs.test.queue.wait", "s", "From sending a test's execution to a worker picking it up.");
        FanInBatchSize = Meter.CreateHistogram<long>("retab.runs.fan_in.batch.size", "{event}", "Worker events folded into one store write.");
        ModelRetries = Meter.CreateCounter<long>("retab.runs.model.retries", "{retry}", "Model calls tried again after a 429, a 5xx, a timeout or a lost connection, by gen_ai.request.model.");
    }

    public Meter Meter { get; }
    public Counter<long> RunsCreated { get; }
    public Counter<long> RunsEnded { get; }
    public Histogram<double> RunDuration { get; }
    public Counter<long> TestsFinished { get; }
    public Histogram<double> TestExecutionDuration { get; }
    public Histogram<double> TestQueueWait { get; }
    public Histogram<long> FanInBatchSize { get; }
    public Counter<long> ModelRetries { get; }

    /// <summary>Name of the runs-in-flight gauge (<see cref="ObserveRunsInFlight"/>).</summary>
    public const string RunsInFlightName = "retab.runs.runs.in_flight";

    /// <summary>
    /// The runs pending, queued or running, as <paramref name="current"/> reads them at collection time. Observed by the
    /// orchestrator only, once per host: it answers from a cached store count, the same for every orchestrator, so
    /// several orchestrators report the same value (aggregate with max, not sum).
    /// </summary>
    public ObservableGauge<long> ObserveRunsInFlight(Func<long> current) =>
        Meter.CreateObservableGauge(RunsInFlightName, current, "{run}", "Runs pending, queued or running, across every organization.");
}
