namespace Retab.Runs.Worker;

/// <summary>Section <c>Worker</c>.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Shown on results and in logs; defaults to host name + process id.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}".ToLowerInvariant();

    /// <summary>Executions this worker holds from the shared queue at once.</summary>
    public int PrefetchCount { get; set; } = 32;

    /// <summary>How long one test may run once picked up (block plus assertion, model calls included) before it ends in <c>error</c>.</summary>
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Executions this worker runs at once.</summary>
    public int ConcurrencyLimit { get; set; } = Math.Max(2, Environment.ProcessorCount * 2);
}
